import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CardError } from '../../src/card/card-error.js';
import { describeCertificate } from '../../src/card/modules/beid/certificates.js';
import { photoHashOf } from '../../src/card/modules/beid/identity.js';
import { photoMatches } from '../../src/card/modules/beid/integrity.js';
import { isJpeg, jpegPhoto } from '../../src/card/modules/beid/photo.js';
import { connectorErrorOf, errorCodeOf } from '../../src/graphql/card-errors.js';

const jpegLike = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(100, 7), Buffer.from('ffd9', 'hex')]);
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100, 7)]);

describe('card content a hostile card may send', () => {
  it('a photo that is not a JPEG fails integrity even when its hash matches', () => {
    expect(isJpeg(jpegLike)).toBe(true);
    expect(isJpeg(png)).toBe(false);
    expect(isJpeg(Buffer.alloc(0))).toBe(false);
    expect(photoMatches(jpegLike, createHash('sha1').update(jpegLike).digest())).toBe(true);
    expect(photoMatches(png, createHash('sha1').update(png).digest())).toBe(false);
  });

  it('jpegPhoto passes a JPEG and refuses anything else with CARD_ERROR', () => {
    expect(jpegPhoto(jpegLike)).toBe(jpegLike);
    expect(() => jpegPhoto(png)).toThrow(expect.objectContaining({ code: 'CARD_ERROR' }));
  });

  it('an identity file whose TLV runs past its end has no photo hash (integrity false), not an exception', () => {
    expect(photoHashOf(Buffer.from([0x11, 0x40, 0x01, 0x02]))).toBeUndefined();
  });

  it('a certificate file that is not DER is a CARD_ERROR', () => {
    expect(() => describeCertificate(Buffer.from('3082000a0102030405060708090a', 'hex'))).toThrow(expect.objectContaining({ code: 'CARD_ERROR' }));
  });
});

describe('card errors at the API boundary', () => {
  it('keep their code, message and details as extensions', () => {
    const e = connectorErrorOf(new CardError('PIN_INCORRECT', 'Wrong PIN; 2 tries left.', { retriesLeft: 2 }));
    expect(e?.message).toBe('Wrong PIN; 2 tries left.');
    expect(e?.extensions).toEqual({ code: 'PIN_INCORRECT', retriesLeft: 2 });
    expect(errorCodeOf(new CardError('CARD_TIMEOUT', 'x', { timeoutMs: 5 }))).toBe('CARD_TIMEOUT');
    expect(errorCodeOf(new Error('boom'))).toBe('INTERNAL');
    expect(connectorErrorOf(new Error('boom'))).toBeUndefined();
  });
});
