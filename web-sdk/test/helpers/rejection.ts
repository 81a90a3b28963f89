import { expect } from 'vitest';
import { ConnectorError } from '../../src/index.js';

/** The ConnectorError a call rejects with (the test fails if it resolves or throws anything else). */
export async function rejection(p: Promise<unknown>): Promise<ConnectorError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConnectorError);
  return e as ConnectorError;
}
