import { CardError, type CardErrorCode } from '../card/card-error.js';
import { ConnectorError, isConnectorError, withoutStack, type ErrorCode } from '../errors.js';

// Every card-layer code is a schema ErrorCode of the same name (fails to compile otherwise).
const sameCodes: CardErrorCode extends ErrorCode ? true : never = true;
void sameCodes;

/**
 * The connector error a page sees for a thrown value: card-layer errors keep their code,
 * message and details (as `extensions`); connector errors pass as they are; anything else
 * is not an expected outcome (undefined).
 */
export function connectorErrorOf(e: unknown): ConnectorError | undefined {
  if (isConnectorError(e)) return e;
  if (e instanceof CardError) return withoutStack(() => new ConnectorError(e.code, e.message, { ...e.details }));
  return undefined;
}

/** The code recorded for an outcome (transactions): the error's code, or INTERNAL. */
export const errorCodeOf = (e: unknown): ErrorCode => (isConnectorError(e) || e instanceof CardError ? e.code : 'INTERNAL');
