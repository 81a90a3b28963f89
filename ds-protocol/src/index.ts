/** The DS wire contract (distribution-service/PROTOCOL.md), held once for the DS and the connector. */
export * from './labels.js';
export * from './use-cases.js';
export * from './loopback.js';
export * from './origin.js';
export * from './signature.js';
export * from './schemas.js';
