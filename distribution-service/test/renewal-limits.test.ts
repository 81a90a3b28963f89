import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCsr, newKey } from './support/csr.js';
import { freshTimestamp, keyIdOf, register, signHeaders, signedSync, startDs, syncBody, type Harness, type TestDevice } from './support/harness.js';

/**
 * Issue 12 item 6: every sync could carry a CSR and each added a live certificate; with
 * thousands of them a bad signature naming the device made the DS try every key. Here a device
 * renews 1,000 times, each time at a random moment inside its renewal window (the DS clock is
 * driven through the windows), with an early CSR refused now and then; then a bad-signature
 * request naming it must cost about what it costs against a device with one certificate.
 */
const RENEWALS = 1000;
const LIFETIME = 3600; // one hour: the window opens 40 min after issue, closes at 50 min
const SAMPLES = 300;

let h: Harness;
beforeAll(async () => {
  h = await startDs({ certLifetimeSeconds: LIFETIME });
});
afterAll(async () => h.close());

const iso = () => new Date(h.clock.now()).toISOString();

/** Median time (ms) of one unauthenticated bad-signature sync naming `device`, through fastify. */
async function badSignatureCost(device: TestDevice, keyId: string | false): Promise<number> {
  const body = JSON.stringify(syncBody(device));
  const wrong = newKey('ec');
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const headers = signHeaders(device.id, wrong, body, freshTimestamp(h.clock), '/v1/sync', { keyId });
    const t0 = performance.now();
    const res = await h.ds.app.inject({ method: 'POST', url: '/v1/sync', headers: { 'content-type': 'application/json', ...headers }, payload: body });
    times.push(performance.now() - t0);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_BAD_SIGNATURE');
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

describe('certificate renewals are bounded', () => {
  it(`keeps at most two live certificates after ${RENEWALS} renewals, and a bad signature costs what it costs for one`, { timeout: 180_000 }, async () => {
    let device = await register(h, newKey('ec'));
    let window = device.registration.renewal as { windowStart: string; windowEnd: string };
    let refused = 0;
    const issuedSerials = [device.serial];
    for (let i = 0; i < RENEWALS; i++) {
      if (i % 10 === 0) {
        // A CSR before the window: refused, the sync itself is fine.
        const early = await signedSync(h, device, syncBody(device, { csr: buildCsr(newKey('ec')) }));
        expect(early.status).toBe(200);
        expect(early.body.certificateError.code).toBe('RENEWAL_NOT_DUE');
        refused++;
      }
      // A random moment inside the window, as the connector picks one.
      const start = Date.parse(window.windowStart);
      const end = Date.parse(window.windowEnd);
      h.clock.ms = Math.max(h.clock.ms, start + Math.floor(Math.random() * (end - start)));
      const key = newKey('ec');
      const r = await signedSync(h, device, syncBody(device, { csr: buildCsr(key) }));
      expect(r.status).toBe(200);
      expect(r.body.certificateError).toBeUndefined();
      device = { ...device, key, serial: r.body.certificate.serial, notAfter: r.body.certificate.notAfter };
      issuedSerials.push(device.serial);
      window = r.body.renewal;
    }

    // The one-certificate device registers now: the clock has moved weeks through the renewals.
    const single = await register(h, newKey('ec'));
    const live = await h.repo.devices.liveCertificates(device.id, iso());
    // Every issued certificate stays stored (retired, not deleted).
    const stored = await Promise.all(issuedSerials.map((serial) => h.repo.devices.findCertificate(serial)));
    expect(new Set(issuedSerials).size).toBe(RENEWALS + 1);
    expect(stored.filter((c) => c?.deviceId === device.id)).toHaveLength(RENEWALS + 1);
    expect(live.length).toBeLessThanOrEqual(2);
    expect(live[0]!.keyId).toBe(keyIdOf(device.key));
    expect(await h.repo.devices.liveCertificates(single.id, iso())).toHaveLength(1);
    expect((await signedSync(h, device, syncBody(device))).status).toBe(200);

    // Warm both paths, then measure alternately so machine load hits both alike.
    await badSignatureCost(device, keyIdOf(device.key));
    await badSignatureCost(single, keyIdOf(single.key));
    const renewedNamed = await badSignatureCost(device, keyIdOf(device.key));
    const singleNamed = await badSignatureCost(single, keyIdOf(single.key));
    const renewedOld = await badSignatureCost(device, false);
    const singleOld = await badSignatureCost(single, false);
    const ratio = renewedNamed / singleNamed;
    const ratioOld = renewedOld / singleOld;
    console.log(
      `renewals: ${RENEWALS} renewed (+${refused} early CSRs refused RENEWAL_NOT_DUE), ${stored.length} certificates issued, ${live.length} live; ` +
        `bad signature (median of ${SAMPLES}): with X-Key-Id ${renewedNamed.toFixed(3)} ms vs one-certificate device ${singleNamed.toFixed(3)} ms, ratio ${ratio.toFixed(2)}; ` +
        `without X-Key-Id ${renewedOld.toFixed(3)} ms vs ${singleOld.toFixed(3)} ms, ratio ${ratioOld.toFixed(2)}`,
    );
    expect(ratio).toBeLessThan(3);
    expect(ratioOld).toBeLessThan(3);
  });
});
