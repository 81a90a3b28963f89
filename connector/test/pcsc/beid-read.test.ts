import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createHash, X509Certificate } from 'node:crypto';
import { startTestConnector, APP_ORIGIN, type TestConnector } from '../helpers/test-connector.js';
import { insertCard, waitForCard, type InsertedCard } from '../helpers/virtual-reader.js';

const FULL = `query Full($r: ID!) { beid(readerId: $r) {
  appletVersion
  identity { cardNumber chipNumber validityBegin validityEnd issuingMunicipality nationalNumber surname firstNames
    thirdNameInitial nationality birthPlace birthDate sex nobleCondition documentTypeCode documentType specialStatus photoHash }
  address { streetAndNumber zipCode municipality }
  photo { mimeType base64 size }
  certificates { root { subject } citizenCa { subject } authentication { subject pem publicKeyAlgorithm } nonRepudiation { subject } rrn { subject notAfter } }
  integrity { identity address photo }
} }`;

let t: TestConnector;
beforeAll(async () => {
  t = await startTestConnector();
});
afterAll(() => t.close());

describe.each(['1.7', '1.8'] as const)('BeID applet %s through pcscd + vpcd', (profile) => {
  let inserted: InsertedCard;
  let readerId: string;
  beforeAll(async () => {
    inserted = await insertCard(0, { profile });
    readerId = (await waitForCard(t, 0)).id;
  });
  afterAll(async () => {
    await inserted.vpcd.remove();
    await waitForCard(t, 0, false);
  });

  it('lists the reader with the card, its ATR and the BEID module', async () => {
    const r = await t.query('{ readers { id name card { atr module description } } }');
    const reader = r.json.data.readers.find((x: { id: string }) => x.id === readerId);
    expect(reader.card.atr).toBe(inserted.card.atr.toString('hex').toUpperCase());
    expect(reader.card.module).toBe('BEID');
    expect(r.json.data.readers.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['Virtual PCD 00 00', 'Virtual PCD 00 01']));
  });

  it('reads identity, address, photo and certificates with integrity true', async () => {
    const r = await t.query(FULL, { r: readerId }, { 't1c-tag': 'full-read' });
    expect(r.json.errors).toBeUndefined();
    const b = r.json.data.beid;
    const m = inserted.card.material.manifest;
    expect(b.appletVersion).toBe(profile);
    expect(b.identity).toMatchObject({
      surname: m.citizen.surname,
      firstNames: m.citizen.firstNames,
      nationalNumber: m.citizen.nationalNumber,
      birthDate: m.citizen.birthDate,
      cardNumber: m.card.cardNumber,
      chipNumber: m.card.chipSerialHex.toUpperCase(),
      sex: m.citizen.sex === 'M' ? 'MALE' : 'FEMALE',
    });
    expect(b.address).toEqual({ streetAndNumber: m.citizen.address.streetAndNumber, zipCode: m.citizen.address.zip, municipality: m.citizen.address.municipality });
    const photo = Buffer.from(b.photo.base64, 'base64');
    expect(photo.equals(inserted.card.material.files.photo)).toBe(true);
    expect(createHash(profile === '1.7' ? 'sha1' : 'sha384').update(photo).digest('hex')).toBe(b.identity.photoHash);
    expect(b.integrity).toEqual({ identity: true, address: true, photo: true });
    const auth = new X509Certificate(b.certificates.authentication.pem);
    expect(auth.raw.equals(inserted.card.material.certs.auth)).toBe(true);
    expect(b.certificates.authentication.publicKeyAlgorithm).toBe(profile === '1.7' ? 'RSA-2048' : 'EC-P384');
  });

  it('reads only the files the query selects (address only: SELECT + READ BINARY)', async () => {
    // A fresh card session so nothing is cached.
    await inserted.vpcd.remove();
    await waitForCard(t, 0, false);
    inserted = await insertCard(0, { profile, dataDir: inserted.card.material.dir.replace(/\/[^/]+$/, '') });
    readerId = (await waitForCard(t, 0)).id;
    const before = inserted.card.apduCount;
    const r = await t.query('query($r: ID!) { beid(readerId: $r) { address { zipCode } } }', { r: readerId });
    expect(r.json.data.beid.address.zipCode).toBe(inserted.card.material.manifest.citizen.address.zip);
    expect(inserted.card.apduCount - before).toBe(2);
    // and a second read is served from the card-session cache: no APDU at all
    const again = await t.query('query($r: ID!) { beid(readerId: $r) { address { zipCode } } }', { r: readerId });
    expect(again.json.data.beid.address.zipCode).toBe(r.json.data.beid.address.zipCode);
    expect(inserted.card.apduCount - before).toBe(2);
  });

  it('records IDENTITY_READ with label and tag and nothing personal', async () => {
    const tag = `privacy-${profile.replace('.', '')}`;
    await t.query(FULL, { r: readerId }, { 't1c-tag': tag });
    const db = new Database(join(t.dataDir, 'connector.db'), { readonly: true });
    const rows = db.prepare('SELECT * FROM transactions WHERE tag = ?').all(tag) as Record<string, unknown>[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ use_case: 'IDENTITY_READ', module: 'beid', result: 'OK', label: 'demo-app', tag });
    const m = inserted.card.material.manifest;
    const dump = JSON.stringify(rows);
    for (const secret of [m.citizen.surname, m.citizen.nationalNumber, m.card.cardNumber, m.card.chipSerialHex, m.citizen.address.streetAndNumber]) {
      expect(dump.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    expect(t.logs()).not.toContain(m.citizen.nationalNumber);
    expect(t.logs()).not.toContain(m.citizen.surname);
  });
});

describe('tampered and broken cards', () => {
  it('reports integrity false for a tampered identity file, true for the rest', async () => {
    const c = await insertCard(1, { profile: '1.7', tamper: { identity: true } });
    try {
      const { id } = await waitForCard(t, 1);
      const r = await t.query('query($r: ID!) { beid(readerId: $r) { integrity { identity address photo } } }', { r: id });
      // the address signature covers the identity signature, which is intact
      expect(r.json.data.beid.integrity).toEqual({ identity: false, address: true, photo: true });
    } finally {
      await c.vpcd.remove();
      await waitForCard(t, 1, false);
    }
  });

  it('turns a card pulled out mid-read into CARD_REMOVED, and the next card works', async () => {
    const c = await insertCard(1, { profile: '1.7', removeAfterApdus: 5 });
    const { id } = await waitForCard(t, 1);
    const r = await t.query('query($r: ID!) { beid(readerId: $r) { photo { size } certificates { authentication { subject } } } }', { r: id });
    expect(r.status).toBe(200);
    const codes = r.json.errors.map((e: { extensions: { code: string } }) => e.extensions.code);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(['CARD_REMOVED', 'NO_CARD']).toContain(code);
    await c.vpcd.closed;
    await waitForCard(t, 1, false);
    const next = await insertCard(1, { profile: '1.8' });
    try {
      const { id: id2 } = await waitForCard(t, 1);
      const ok = await t.query('query($r: ID!) { beid(readerId: $r) { identity { surname } integrity { identity } } }', { r: id2 });
      expect(ok.json.errors).toBeUndefined();
      expect(ok.json.data.beid.identity.surname).toBe(next.card.material.manifest.citizen.surname);
      expect(ok.json.data.beid.integrity.identity).toBe(true);
    } finally {
      await next.vpcd.remove();
      await waitForCard(t, 1, false);
    }
  });

  it('answers NO_CARD for an empty reader and READER_NOT_FOUND for an unknown one', async () => {
    const empty = (await waitForCard(t, 1, false)).id;
    const r = await t.query('query($r: ID!) { beid(readerId: $r) { identity { surname } } }', { r: empty });
    expect(r.json.errors[0].extensions.code).toBe('NO_CARD');
    const u = await t.query('{ beid(readerId: "nope") { address { zipCode } } }');
    expect(u.json.errors[0].extensions.code).toBe('READER_NOT_FOUND');
  });
});

describe('concurrency', () => {
  it('serves 20 concurrent full reads from different origins, all correct', async () => {
    const origins = Array.from({ length: 20 }, (_, i) => ({ origin: `https://app${i}.example.com`, label: `app-${i}` }));
    const multi = await startTestConnector({ origins: [...origins, { origin: APP_ORIGIN, label: 'demo-app' }] });
    const c = await insertCard(0, { profile: '1.7' });
    try {
      const { id } = await waitForCard(multi, 0);
      const results = await Promise.all(
        origins.map((o) =>
          multi.call({
            body: JSON.stringify({ query: FULL, variables: { r: id } }),
            headers: { origin: o.origin, 'content-type': 'application/json', 't1c-tag': o.label },
          }),
        ),
      );
      const m = c.card.material.manifest;
      for (const r of results) {
        expect(r.json.errors).toBeUndefined();
        expect(r.json.data.beid.identity.nationalNumber).toBe(m.citizen.nationalNumber);
        expect(r.json.data.beid.integrity).toEqual({ identity: true, address: true, photo: true });
        expect(Buffer.from(r.json.data.beid.photo.base64, 'base64').equals(c.card.material.files.photo)).toBe(true);
      }
      const summary = await multi.call({
        body: JSON.stringify({ query: '{ transactions { label total counts { useCase tag count } } }' }),
        headers: { origin: 'https://app7.example.com', 'content-type': 'application/json' },
      });
      expect(summary.json.data.transactions).toEqual({ label: 'app-7', total: 1, counts: [{ useCase: 'IDENTITY_READ', tag: 'app-7', count: 1 }] });
    } finally {
      await c.vpcd.remove();
      await multi.close();
    }
  });
});
