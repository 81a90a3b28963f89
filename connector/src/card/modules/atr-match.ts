import type { CardModuleId } from '../card-types.js';
import type { AtrModule, AtrRule } from './card-module.js';
import { beidModule } from './beid/beid-module.js';

/** The modules the connector knows, tried in order. */
export const CARD_MODULES: readonly AtrModule[] = [beidModule];

export interface AtrMatch {
  module: CardModuleId;
  description: string | null;
}

export function matchAtr(atrHex: string, modules: readonly AtrModule[] = CARD_MODULES): AtrMatch {
  const atr = atrHex.toUpperCase();
  for (const m of modules) {
    const rule = m.atrRules.find((r) => matches(atr, r));
    if (rule) return { module: m.id, description: rule.description };
  }
  return { module: 'UNKNOWN', description: null };
}

function matches(atr: string, r: AtrRule): boolean {
  if (r.atr.length !== atr.length) return false;
  if (!r.mask) return r.atr === atr;
  for (let i = 0; i < atr.length; i += 2) {
    const m = parseInt(r.mask.slice(i, i + 2), 16);
    if ((parseInt(atr.slice(i, i + 2), 16) & m) !== (parseInt(r.atr.slice(i, i + 2), 16) & m)) return false;
  }
  return true;
}
