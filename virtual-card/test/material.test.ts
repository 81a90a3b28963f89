import { createHash, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureMaterial, loadMaterial, materialDir } from '../src/material/store.js';
import { checkIntegrity, stripZeroPadding, verifyRrnSignature } from '../src/material/rrn.js';
import { isValidCardNumber, isValidNationalNumber, nationalNumberFor, formatBirthDate } from '../src/material/citizen.js';
import { PROFILES } from '../src/material/types.js';
import { MaterialFixture, readTlv } from './helpers.js';

const fx = new MaterialFixture();
afterAll(() => fx.cleanup());

function listFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(dir.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('citizen helpers', () => {
  it('computes national numbers with a valid modulo-97 check', () => {
    expect(nationalNumberFor('1985-05-15', 998)).toMatch(/^850515998\d\d$/);
    expect(isValidNationalNumber(nationalNumberFor('1985-05-15', 998))).toBe(true);
    expect(isValidNationalNumber(nationalNumberFor('2003-01-02', 1))).toBe(true);
    // Known public example: 93.05.18-223.61
    expect(isValidNationalNumber('93051822361')).toBe(true);
    expect(isValidNationalNumber('93051822362')).toBe(false);
  });

  it('formats birth dates in the card language', () => {
    expect(formatBirthDate('1985-05-15', 'fr')).toBe('15 MAI 1985');
    expect(formatBirthDate('1985-05-15', 'nl')).toBe('15 MEI 1985');
    expect(formatBirthDate('1985-03-01', 'de')).toBe('01.MÄR.1985');
    expect(formatBirthDate('1985-08-31', 'fr')).toBe('31 AOUT 1985');
  });
});

describe.each(PROFILES)('material, applet %s', (profile) => {
  it('is generated once, stored, and reloaded identically', async () => {
    const first = await fx.material(profile);
    const dir = materialDir(profile, fx.base);
    const before = listFiles(dir);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(['/material.json', '/pin-state.json', '/certs/auth.der', '/keys/auth.key.pem', '/files/4035-photo.jpg']),
    );
    // ensureMaterial again must not regenerate anything.
    const again = await ensureMaterial({ profile, baseDir: fx.base });
    expect(listFiles(dir)).toEqual(before);
    expect(again.chipSerial.equals(first.chipSerial)).toBe(true);
    expect(again.certs.auth.equals(first.certs.auth)).toBe(true);
    expect(again.files.identitySignature.equals(first.files.identitySignature)).toBe(true);
    const reloaded = loadMaterial(dir);
    expect(reloaded.manifest).toEqual(first.manifest);
    expect(reloaded.keys.auth.export({ format: 'pem', type: 'pkcs8' })).toBe(
      first.keys.auth.export({ format: 'pem', type: 'pkcs8' }),
    );
  });

  it('writes a clearly fictitious citizen into the identity TLV', async () => {
    const m = await fx.material(profile);
    const id = readTlv(m.files.identity);
    expect(id.get(0x07)!.toString()).toBe('Specimen');
    expect(id.get(0x08)!.toString()).toBe('Alice Test');
    expect(id.get(0x02)!.equals(m.chipSerial)).toBe(true);
    expect(m.chipSerial.length).toBe(16);
    expect(isValidNationalNumber(id.get(0x06)!.toString())).toBe(true);
    expect(isValidCardNumber(id.get(0x01)!.toString())).toBe(true);
    expect(id.get(0x0c)!.toString()).toBe('15 MAI 1985');
    expect(id.get(0x0d)!.toString()).toBe('F');
    expect(id.get(0x03)!.toString()).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    expect(id.get(0x04)!.toString()).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    expect(id.get(0x0f)!.toString()).toBe('1');
    const photoHash = id.get(0x11)!;
    expect(photoHash.length).toBe(profile === '1.7' ? 20 : 48);
  });

  it('pads the address file to 117 bytes', async () => {
    const m = await fx.material(profile);
    expect(m.files.address.length).toBe(117);
    const a = readTlv(m.files.address);
    expect(a.get(0x01)!.toString()).toBe('Rue du Spécimen 42');
    expect(a.get(0x02)!.toString()).toBe('1000');
    expect(a.get(0x03)!.toString()).toBe('Bruxelles');
    expect(m.files.address.subarray(stripZeroPadding(m.files.address).length).every((b) => b === 0)).toBe(true);
  });

  it('has a small valid JPEG whose hash is in tag 11', async () => {
    const m = await fx.material(profile);
    const p = m.files.photo;
    expect(p.length).toBeGreaterThan(1000);
    expect(p.length).toBeLessThan(4096);
    expect(p.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(p.subarray(-2).toString('hex')).toBe('ffd9');
    const expected = readTlv(m.files.identity).get(0x11)!;
    expect(createHash(profile === '1.7' ? 'sha1' : 'sha384').update(p).digest().equals(expected)).toBe(true);
  });

  it('signs identity and address with the RRN key in the documented format', async () => {
    const m = await fx.material(profile);
    const rrn = new X509Certificate(m.certs.rrn);
    expect(m.manifest.rrnSignature).toBe(profile === '1.7' ? 'rsa-pkcs1-sha1' : 'ecdsa-sha384-der');
    if (profile === '1.7') {
      const { verify } = await import('node:crypto');
      expect(m.files.identitySignature.length).toBe(256);
      expect(verify('sha1', m.files.identity, rrn.publicKey, m.files.identitySignature)).toBe(true);
      expect(verify('sha256', m.files.identity, rrn.publicKey, m.files.identitySignature)).toBe(false);
    } else {
      const { verify } = await import('node:crypto');
      expect(m.files.identitySignature[0]).toBe(0x30); // DER SEQUENCE
      expect(
        verify('sha384', m.files.identity, { key: rrn.publicKey, dsaEncoding: 'der' }, m.files.identitySignature),
      ).toBe(true);
    }
    const addressData = Buffer.concat([stripZeroPadding(m.files.address), m.files.identitySignature]);
    expect(verifyRrnSignature(m.certs.rrn, addressData, m.files.addressSignature)).toBe(true);
    expect(verifyRrnSignature(m.certs.rrn, m.files.identity, m.files.identitySignature)).toBe(true);
    // A signature over other data must fail.
    expect(verifyRrnSignature(m.certs.rrn, m.files.identity, m.files.addressSignature)).toBe(false);
    const photoHash = readTlv(m.files.identity).get(0x11)!;
    expect(
      checkIntegrity({
        identity: m.files.identity,
        identitySignature: m.files.identitySignature,
        address: m.files.address,
        addressSignature: m.files.addressSignature,
        photo: m.files.photo,
        photoHash,
        rrnCert: m.certs.rrn,
      }),
    ).toEqual({ identity: true, address: true, photo: true });
  });

  it('chains root → citizen CA → auth/non-repudiation, root → RRN', async () => {
    const m = await fx.material(profile);
    const root = new X509Certificate(m.certs.root);
    const ca = new X509Certificate(m.certs.citizenCa);
    const auth = new X509Certificate(m.certs.auth);
    const nr = new X509Certificate(m.certs.nonRepudiation);
    const rrn = new X509Certificate(m.certs.rrn);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(ca.verify(root.publicKey)).toBe(true);
    expect(auth.verify(ca.publicKey)).toBe(true);
    expect(nr.verify(ca.publicKey)).toBe(true);
    expect(rrn.verify(root.publicKey)).toBe(true);
    expect(auth.verify(root.publicKey)).toBe(false);
    expect(auth.checkIssued(ca)).toBe(true);
    expect(root.ca).toBe(true);
    expect(auth.ca).toBe(false);
    expect(auth.subject).toContain('Specimen');
    expect(auth.subject).toContain(m.manifest.citizen.nationalNumber);
    const keyType = profile === '1.7' ? 'rsa' : 'ec';
    for (const c of [auth, nr, rrn]) expect(c.publicKey.asymmetricKeyType).toBe(keyType);
    if (profile === '1.7') expect(auth.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    else expect(auth.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    // The private keys belong to the certificates.
    expect(m.keys.auth.asymmetricKeyType).toBe(keyType);
    const { createPublicKey } = await import('node:crypto');
    expect(
      createPublicKey(m.keys.auth).export({ type: 'spki', format: 'der' }).equals(auth.publicKey.export({ type: 'spki', format: 'der' })),
    ).toBe(true);
    expect(
      createPublicKey(m.keys.nonRepudiation)
        .export({ type: 'spki', format: 'der' })
        .equals(nr.publicKey.export({ type: 'spki', format: 'der' })),
    ).toBe(true);
  });
});

describe('language option', () => {
  it('writes a Dutch birth date and sex letter', async () => {
    const m = await ensureMaterial({ profile: '1.8', baseDir: join(fx.base, 'nl'), language: 'nl' });
    const id = readTlv(m.files.identity);
    expect(id.get(0x0c)!.toString()).toBe('15 MEI 1985');
    expect(id.get(0x0d)!.toString()).toBe('V');
    expect(readTlv(m.files.address).get(0x03)!.toString()).toBe('Brussel');
  });
});

describe('integrity of RSA signatures that look like DER', () => {
  // An RSA signature starts with 0x30 (a DER SEQUENCE tag) once in 256: it must still be kept
  // whole (a suite run once failed "untouched card: address false" on such material).
  it('keeps an RSA address signature starting with 0x30 whole', async () => {
    const m = await fx.material('1.7');
    const { signAddress } = await import('../src/material/rrn.js');
    let address = m.files.address;
    let signature = signAddress('1.7', m.keys.rrn, address, m.files.identitySignature);
    for (let street = 0; signature[0] !== 0x30; street++) {
      expect(street).toBeLessThan(5000);
      address = Buffer.from(m.files.address);
      address.write(String(street).padStart(4, '0'), 2, 'latin1');
      signature = signAddress('1.7', m.keys.rrn, address, m.files.identitySignature);
    }
    const result = checkIntegrity({
      identity: m.files.identity,
      identitySignature: m.files.identitySignature,
      address,
      addressSignature: signature,
      photo: m.files.photo,
      photoHash: readTlv(m.files.identity).get(0x11)!,
      rrnCert: m.certs.rrn,
    });
    expect(result).toEqual({ identity: true, address: true, photo: true });
  });
});
