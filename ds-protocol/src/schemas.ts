import { Type, type Static } from '@sinclair/typebox';
import { TOKEN_PATTERN } from './labels.js';
import { CONSENT_MODES, LOG_LEVELS, MAX_PIN_REUSE_MINUTES, PIN_ENTRIES, USE_CASES, type UseCase } from './use-cases.js';

/**
 * The request and response bodies of DS protocol v1 (PROTOCOL.md), as TypeBox schemas: the DS
 * validates requests with them (fastify's ajv: strict, nothing coerced, unknown properties
 * refused) and both sides take their TypeScript types from them.
 *
 * In requests, enumerations and nullable strings are written as one JSON-schema `enum` / type
 * list rather than `anyOf` unions: the same meaning, and ajv checks a 1000-transaction batch
 * faster (and its messages name the field: "must be equal to one of the allowed values").
 */
const strict = { additionalProperties: false } as const;
const text = (minLength: number, maxLength: number) => Type.String({ minLength, maxLength });
const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });
const nullableString = (constraints: { pattern?: string; maxLength?: number }) => Type.Unsafe<string | null>({ type: ['string', 'null'], ...constraints });

export const MAX_CSR_PEM_LENGTH = 16 * 1024;
/** Most transactions one sync may carry (more: 413 BATCH_TOO_LARGE). */
export const MAX_BATCH = 1000;

export const Token = Type.String({ pattern: TOKEN_PATTERN });
export const DateTime = Type.String({ format: 'date-time', maxLength: 40 });
export const Csr = text(1, MAX_CSR_PEM_LENGTH);
export const UseCaseSchema = oneOf<UseCase>(USE_CASES);

export const RegisterRequest = Type.Object(
  { installToken: text(1, 200), csr: Csr, version: text(1, 64), os: text(1, 200) },
  strict,
);
export type RegisterRequest = Static<typeof RegisterRequest>;

/** One anonymised usage record, as the connector stores and sends it. */
export const Transaction = Type.Object(
  {
    id: Token,
    useCase: UseCaseSchema,
    module: Token,
    result: Token,
    occurredAt: DateTime,
    label: Token,
    tag: nullableString({ pattern: TOKEN_PATTERN }),
  },
  strict,
);
export type Transaction = Static<typeof Transaction>;

export const UpdateStatus = Type.Object(
  {
    current: Type.Optional(text(1, 64)),
    failed: Type.Optional(Type.Array(Type.Object({ version: text(1, 64), reason: Type.String({ maxLength: 500 }) }, strict), { maxItems: 20 })),
  },
  strict,
);
export type UpdateStatus = Static<typeof UpdateStatus>;

/** No maxItems on transactions: an oversized batch is refused earlier with 413 BATCH_TOO_LARGE. */
export const SyncRequest = Type.Object(
  {
    version: text(1, 64),
    os: text(1, 200),
    uptimeSeconds: Type.Integer({ minimum: 0, maximum: 1e12 }),
    lastError: nullableString({ maxLength: 1024 }),
    certificate: Type.Object({ serial: Type.String({ pattern: '^[0-9A-Fa-f]{1,64}$' }), notAfter: DateTime }, strict),
    csr: Type.Optional(Csr),
    corsVersion: Type.Optional(Type.Integer({ minimum: 0 })),
    configVersion: Type.Optional(Type.Integer({ minimum: 0 })),
    transactions: Type.Array(Transaction),
    /** The cycle the connector keeps when its organisation sets none: sent when `--ds.cycle` was given (the DS cannot know it otherwise). */
    cycleSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 604_800 })),
    updateStatus: Type.Optional(UpdateStatus),
  },
  strict,
);
export type SyncRequest = Static<typeof SyncRequest>;

export const FaultsRequest = Type.Object({ dropSyncResponsesAfterCommit: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }, strict);
export type FaultsRequest = Static<typeof FaultsRequest>;

// Answers. Not strict: a newer DS may add fields an older connector ignores. Plain TypeBox
// kinds only, so the connector can check an answer with TypeBox's Value.Check.

/**
 * One allowed origin with its application's label and settings for the connector's own pages
 * (issue 14). The settings are optional on the wire: an older DS sends none, and a connector
 * then applies HOST_PAGE, OFF, 0.
 */
export const CorsEntry = Type.Object({
  origin: Type.String(),
  label: Type.String(),
  pinEntry: Type.Optional(Type.Union(PIN_ENTRIES.map((v) => Type.Literal(v)))),
  consent: Type.Optional(Type.Union(CONSENT_MODES.map((v) => Type.Literal(v)))),
  pinReuseMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PIN_REUSE_MINUTES })),
});
export type CorsEntry = Static<typeof CorsEntry>;
/** The full list (`entries`), or `unchanged` when the device already holds this version. */
export const CorsPayload = Type.Object({
  version: Type.Integer({ minimum: 0 }),
  entries: Type.Optional(Type.Array(CorsEntry)),
  unchanged: Type.Optional(Type.Literal(true)),
});
export type CorsPayload = Static<typeof CorsPayload>;

export const ConfigPayload = Type.Object({
  version: Type.Integer({ minimum: 0 }),
  dsCycleSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  logLevel: Type.Optional(Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)))),
});
export type ConfigPayload = Static<typeof ConfigPayload>;

export const RenewalWindow = Type.Object({ windowStart: Type.String(), windowEnd: Type.String() });
export type RenewalWindow = Static<typeof RenewalWindow>;

export const RegisterResponse = Type.Object({
  deviceId: Type.String(),
  certificate: Type.String(),
  caChain: Type.Array(Type.String()),
  notAfter: Type.String(),
  serial: Type.String(),
  renewal: Type.Optional(RenewalWindow),
  config: ConfigPayload,
  cors: CorsPayload,
  nextSyncAfterSeconds: Type.Number(),
  serverTime: Type.String(),
});
export type RegisterResponse = Static<typeof RegisterResponse>;

export const IssuedCertificate = Type.Object({ pem: Type.String(), caChain: Type.Array(Type.String()), serial: Type.String(), notAfter: Type.String() });
export type IssuedCertificate = Static<typeof IssuedCertificate>;

export const UpdateOffer = Type.Object({
  release: Type.Object({ manifest: Type.String(), signature: Type.String() }),
  /** Path of the package on the DS. */
  url: Type.String(),
  flag: Type.String(),
});
export type UpdateOffer = Static<typeof UpdateOffer>;

export const SyncResponse = Type.Object({
  ack: Type.Array(Type.String()),
  cors: CorsPayload,
  config: ConfigPayload,
  certificate: Type.Optional(IssuedCertificate),
  certificateError: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  renewal: Type.Optional(RenewalWindow),
  nextSyncAfterSeconds: Type.Number(),
  serverTime: Type.String(),
  update: Type.Optional(UpdateOffer),
});
export type SyncResponse = Static<typeof SyncResponse>;

/** Every non-2xx answer. */
export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
});
export type ErrorBody = Static<typeof ErrorBody>;
