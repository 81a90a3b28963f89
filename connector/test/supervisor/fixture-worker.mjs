// A stand-in worker for the socket router test: takes each handed connection (answers `took`
// and writes its name) when TAKE=1, else leaves it untouched, as a worker that dies first would.
process.on('message', (m, handle) => {
  if (!m || m.t !== 'connection' || !handle) return;
  if (process.env.TAKE !== '1') return;
  process.send({ t: 'took', id: m.id });
  handle.end(`served by ${process.env.NAME}\n`);
});
process.send({ t: 'ready' });
