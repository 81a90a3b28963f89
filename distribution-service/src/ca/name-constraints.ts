import { forge } from './forge.js';

const { asn1 } = forge;

/**
 * The DER value of a nameConstraints extension (RFC 5280 4.2.1.10) whose permittedSubtrees
 * are dNSName `localhost`, iPAddress 127.0.0.1/32 and ::1/128. forge can parse this
 * extension but not write it, so it is built here from forge.asn1 primitives:
 *
 *   NameConstraints ::= SEQUENCE { permittedSubtrees [0] IMPLICIT SEQUENCE OF GeneralSubtree }
 *   GeneralSubtree  ::= SEQUENCE { base GeneralName }     -- minimum 0 is DEFAULT, so omitted
 *   GeneralName     ::= [2] IMPLICIT IA5String (dNSName) | [7] IMPLICIT OCTET STRING (address ‖ mask)
 */
export function loopbackNameConstraints(): forge.asn1.Asn1 {
  const subtree = (base: forge.asn1.Asn1) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [base]);
  const dns = (name: string) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, name);
  const ip = (addressAndMask: number[]) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, String.fromCharCode(...addressAndMask));
  const v4 = [127, 0, 0, 1, 255, 255, 255, 255];
  const v6 = [...Array<number>(15).fill(0), 1, ...Array<number>(16).fill(255)];
  const permitted = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [subtree(dns('localhost')), subtree(ip(v4)), subtree(ip(v6))]);
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [permitted]);
}

export const NAME_CONSTRAINTS_OID = '2.5.29.30';
