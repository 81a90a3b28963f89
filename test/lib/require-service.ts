// Suites that need a machine service (pcscd + vpcd, CUPS, PostgreSQL, ...). CI installs and
// starts every one of them, so under CI=true a missing service FAILS the suite; elsewhere the
// suite is skipped and the reason printed.
import { connect } from 'node:net';
import { beforeAll, describe } from 'vitest';

export const isCI = /^(1|true)$/i.test(process.env.CI ?? '');

/**
 * `describe` for a suite that needs `name`: runs it when `available`; otherwise fails it under
 * CI=true, skips it (saying why) outside CI. `howToStart` goes into the message.
 *
 *   requireService('pcscd + vpcd', await listening(35963), 'bash scripts/services.sh pcscd')('…', () => { … });
 */
export function requireService(name: string, available: boolean, howToStart: string): (title: string, body: () => void) => void {
  if (available) return (title, body) => describe(title, body);
  const reason = `${name} is not available (start it: ${howToStart})`;
  if (isCI) {
    return (title, body) =>
      describe(title, () => {
        beforeAll(() => {
          throw new Error(`${reason}. Under CI=true a missing service is a failure, not a skip.`);
        });
        body();
      });
  }
  return (title, body) => {
    process.stderr.write(`SKIPPED "${title}": ${reason}. Under CI=true this fails.\n`);
    describe.skip(title, body);
  };
}

/** Whether something accepts TCP connections on host:port. */
export function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
