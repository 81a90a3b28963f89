import type { CardModule } from '../../graphql/generated/resolvers.js';

interface AtrRule {
  atr: string;
  mask?: string;
  module: CardModule;
  description: string;
}

/** Known ATRs (upper-case hex). Belgian eID per the eID middleware and OpenSC's card-belpic. */
const RULES: AtrRule[] = [
  { atr: '3B9813400AA503010101AD1311', module: 'BEID', description: 'Belgian eID (applet 1.1-1.7)' },
  { atr: '3B9894400AA503010101AD1310', module: 'BEID', description: 'Belgian eID (applet 1.0)' },
  { atr: '3B7F96000080318065B085040120120FFF829000', module: 'BEID', description: 'Belgian eID (applet 1.8)' },
];

export interface AtrMatch {
  module: CardModule;
  description: string | null;
}

export function matchAtr(atrHex: string): AtrMatch {
  const atr = atrHex.toUpperCase();
  for (const r of RULES) {
    if (r.atr.length !== atr.length) continue;
    if (!r.mask && r.atr === atr) return { module: r.module, description: r.description };
    if (r.mask && maskedEqual(atr, r.atr, r.mask)) return { module: r.module, description: r.description };
  }
  return { module: 'UNKNOWN', description: null };
}

function maskedEqual(atr: string, ref: string, mask: string): boolean {
  for (let i = 0; i < atr.length; i += 2) {
    const m = parseInt(mask.slice(i, i + 2), 16);
    if ((parseInt(atr.slice(i, i + 2), 16) & m) !== (parseInt(ref.slice(i, i + 2), 16) & m)) return false;
  }
  return true;
}
