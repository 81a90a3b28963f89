import { RESULT_PATTERN, TOKEN_PATTERN, USE_CASES } from '../domain/transaction.js';
import { MAX_CSR_PEM_LENGTH } from '../ca/csr.js';

/**
 * Request schemas, compiled once by fastify's ajv. Strict on purpose (PROTOCOL.md): no type
 * coercion, no silently dropped properties; anything unexpected is a 400 INVALID_REQUEST.
 */
const token = { type: 'string', pattern: TOKEN_PATTERN } as const;
const csr = { type: 'string', minLength: 1, maxLength: MAX_CSR_PEM_LENGTH } as const;

export const registerBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['installToken', 'csr', 'version', 'os'],
  properties: {
    installToken: { type: 'string', minLength: 1, maxLength: 200 },
    csr,
    version: { type: 'string', minLength: 1, maxLength: 64 },
    os: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

export const transactionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'useCase', 'module', 'result', 'occurredAt', 'label', 'tag'],
  properties: {
    id: token,
    useCase: { type: 'string', enum: USE_CASES },
    module: token,
    result: { type: 'string', pattern: RESULT_PATTERN },
    occurredAt: { type: 'string', format: 'date-time', maxLength: 40 },
    label: token,
    tag: { type: ['string', 'null'], pattern: TOKEN_PATTERN },
  },
} as const;

/** No maxItems here: an oversized batch is refused earlier with 413 BATCH_TOO_LARGE. */
export const syncBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'os', 'uptimeSeconds', 'lastError', 'certificate', 'transactions'],
  properties: {
    version: { type: 'string', minLength: 1, maxLength: 64 },
    os: { type: 'string', minLength: 1, maxLength: 200 },
    uptimeSeconds: { type: 'integer', minimum: 0, maximum: 1e12 },
    lastError: { type: ['string', 'null'], maxLength: 1024 },
    certificate: {
      type: 'object',
      additionalProperties: false,
      required: ['serial', 'notAfter'],
      properties: {
        serial: { type: 'string', pattern: '^[0-9A-Fa-f]{1,64}$' },
        notAfter: { type: 'string', format: 'date-time', maxLength: 40 },
      },
    },
    csr,
    corsVersion: { type: 'integer', minimum: 0 },
    configVersion: { type: 'integer', minimum: 0 },
    transactions: { type: 'array', items: transactionSchema },
    cycleSeconds: { type: 'integer', minimum: 60, maximum: 604_800 },
    updateStatus: {
      type: 'object',
      additionalProperties: false,
      properties: {
        current: { type: 'string', minLength: 1, maxLength: 64 },
        failed: {
          type: 'array',
          maxItems: 20,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['version', 'reason'],
            properties: { version: { type: 'string', minLength: 1, maxLength: 64 }, reason: { type: 'string', maxLength: 500 } },
          },
        },
      },
    },
  },
} as const;

export const faultsBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dropSyncResponsesAfterCommit'],
  properties: { dropSyncResponsesAfterCommit: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
} as const;
