import type { CardModule } from '../card-module.js';
import { BeidService } from './beid-service.js';
import { pinMemoryIn } from './pin-memory.js';

/** The Belgian eID: ATRs per the eID middleware and OpenSC's card-belpic. */
export const beidModule: CardModule<BeidService> = {
  id: 'BEID',
  atrRules: [
    { atr: '3B9813400AA503010101AD1311', description: 'Belgian eID (applet 1.1-1.7)' },
    { atr: '3B9894400AA503010101AD1310', description: 'Belgian eID (applet 1.0)' },
    { atr: '3B7F96000080318065B085040120120FFF829000', description: 'Belgian eID (applet 1.8)' },
  ],
  open: (cards, env) =>
    new BeidService(cards, { idleResetMs: env.idleResetMs, pinMemory: env.state && pinMemoryIn(env.state), log: env.log }),
};
