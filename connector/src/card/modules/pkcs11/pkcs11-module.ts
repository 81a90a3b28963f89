import type { CardModule } from '../card-module.js';
import { Pkcs11Service, type Pkcs11ServiceOptions } from './pkcs11-service.js';

/**
 * Any token with a PKCS#11 library (OpenSC, SoftHSM2, vendor libraries). It claims no ATR:
 * its tokens come from the libraries' slots, and a card another module claims by ATR stays
 * served by that module (the token listing says so in `alsoServedBy`).
 */
export function createPkcs11Module(o: Pkcs11ServiceOptions): CardModule<Pkcs11Service> {
  return { id: 'PKCS11', atrRules: [], open: (cards) => new Pkcs11Service(cards, o) };
}
