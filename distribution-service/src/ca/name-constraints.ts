import { LOOPBACK_DNS_NAMES, LOOPBACK_IPS } from '@cardlink/ds-protocol';
import { forge } from './forge.js';

const { asn1 } = forge;

/**
 * The DER value of a nameConstraints extension (RFC 5280 4.2.1.10) whose permittedSubtrees
 * are the protocol's loopback names: dNSName `localhost`, iPAddress 127.0.0.1/32 and ::1/128. forge can parse this
 * extension but not write it, so it is built here from forge.asn1 primitives:
 *
 *   NameConstraints ::= SEQUENCE { permittedSubtrees [0] IMPLICIT SEQUENCE OF GeneralSubtree }
 *   GeneralSubtree  ::= SEQUENCE { base GeneralName }     -- minimum 0 is DEFAULT, so omitted
 *   GeneralName     ::= [2] IMPLICIT IA5String (dNSName) | [7] IMPLICIT OCTET STRING (address ‖ mask)
 */
export function loopbackNameConstraints(): forge.asn1.Asn1 {
  const subtree = (base: forge.asn1.Asn1) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [base]);
  const dns = (name: string) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, name);
  // One host each: the address followed by an all-ones mask of the same length (/32, /128).
  const ip = (address: string) => {
    const bytes = (forge.util as unknown as { bytesFromIP(ip: string): string | null }).bytesFromIP(address);
    if (!bytes) throw new Error(`not an IP address: ${address}`);
    return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, bytes + '\xff'.repeat(bytes.length));
  };
  const permitted = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
    ...LOOPBACK_DNS_NAMES.map((n) => subtree(dns(n))),
    ...LOOPBACK_IPS.map((a) => subtree(ip(a))),
  ]);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [permitted]);
}

export const NAME_CONSTRAINTS_OID = '2.5.29.30';
