import { CardError } from '../../card-error.js';

/** A JPEG starts with SOI (FF D8) and a marker (FF): what every BeID photo is. */
export function isJpeg(photo: Buffer): boolean {
  return photo.length >= 4 && photo[0] === 0xff && photo[1] === 0xd8 && photo[2] === 0xff;
}

/** The photo file as the JPEG it must be, or CARD_ERROR (never handed on as image/jpeg). */
export function jpegPhoto(file: Buffer): Buffer {
  if (!isJpeg(file)) throw new CardError('CARD_ERROR', "The card's photo is not a JPEG.");
  return file;
}
