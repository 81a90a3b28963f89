import { afterEach, describe, expect, it } from 'vitest';
import { buildCsr, newKey } from './support/csr.js';
import { postJson, register, signedSync, startDs, syncBody, tx, type Harness } from './support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('fault injection: drop the sync response after commit', () => {
  it('commits, destroys the socket, and a replay of the batch counts nothing twice', async () => {
    h = await startDs({ faults: { dropSyncResponsesAfterCommit: 1 } });
    const device = await register(h);
    const batch = [tx(), tx(), tx()];

    await expect(signedSync(h, device, syncBody(device, { transactions: batch }))).rejects.toThrow(/fetch failed/);
    expect(await h.repo.transactions.countTransactions(device.id)).toBe(3);
    expect(h.ds.faults.dropped).toBe(1);

    const replay = await signedSync(h, device, syncBody(device, { transactions: batch }));
    expect(replay.status).toBe(200);
    expect(replay.body.ack).toEqual(batch.map((t) => t.id));
    expect(await h.repo.transactions.countTransactions(device.id)).toBe(3);
  });

  it('a certificate issued in a lost answer is still stored, and the old key keeps working for the retry', async () => {
    h = await startDs();
    const device = await register(h);
    h.clock.advance(61 * 24 * 3600); // into the 90-day certificate's renewal window
    h.ds.faults.dropSyncResponsesAfterCommit = 1;
    const fresh = newKey('ec');
    await expect(signedSync(h, device, syncBody(device, { csr: buildCsr(fresh) }))).rejects.toThrow();
    const retry = await signedSync(h, device, syncBody(device, { csr: buildCsr(fresh) }));
    expect(retry.status).toBe(200);
    expect(retry.body.certificate.pem).toContain('BEGIN CERTIFICATE');
    // The lost certificate is retired by the retry's; the signing one stays: two live.
    expect(await h.repo.devices.liveCertificates(device.id, new Date(h.clock.now()).toISOString())).toHaveLength(2);
    expect((await signedSync(h, device, syncBody(device))).status).toBe(200);
  });

  it('can be armed over HTTP only when test endpoints are enabled', async () => {
    h = await startDs();
    expect((await fetch(`${h.url}/v1/test/faults`)).status).toBe(404);
    await h.close();

    h = await startDs({ enableTestEndpoints: true });
    const device = await register(h);
    const armed = await postJson(`${h.url}/v1/test/faults`, { dropSyncResponsesAfterCommit: 2 });
    expect(armed).toEqual({ status: 200, body: { dropSyncResponsesAfterCommit: 2, dropped: 0 } });
    const batch = [tx()];
    await expect(signedSync(h, device, syncBody(device, { transactions: batch }))).rejects.toThrow();
    await expect(signedSync(h, device, syncBody(device, { transactions: batch }))).rejects.toThrow();
    const third = await signedSync(h, device, syncBody(device, { transactions: batch }));
    expect(third.status).toBe(200);
    expect(await h.repo.transactions.countTransactions()).toBe(1);
    expect(((await (await fetch(`${h.url}/v1/test/faults`)).json()) as any).dropped).toBe(2);
    expect((await postJson(`${h.url}/v1/test/faults`, { dropSyncResponsesAfterCommit: -1 })).body.error.code).toBe('INVALID_REQUEST');
  });

  it('drops nothing for syncs that fail before commit', async () => {
    h = await startDs({ faults: { dropSyncResponsesAfterCommit: 1 } });
    const device = await register(h);
    const bad = await signedSync(h, device, syncBody(device, { transactions: [tx({ useCase: 'NOPE' })] }));
    expect(bad.status).toBe(400);
    expect(h.ds.faults.dropSyncResponsesAfterCommit).toBe(1);
  });
});
