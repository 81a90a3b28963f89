import jpeg from 'jpeg-js';

export const PHOTO_WIDTH = 140;
export const PHOTO_HEIGHT = 200;

/**
 * Draws a plain grey silhouette (head and shoulders, a diagonal "specimen" stripe) at the
 * eID photo size (140×200) and encodes it as a baseline JPEG of a few kilobytes.
 */
export function generatePhoto(quality = 40): Buffer {
  const w = PHOTO_WIDTH;
  const h = PHOTO_HEIGHT;
  const data = Buffer.alloc(w * h * 4);
  const headCx = w / 2;
  const headCy = 78;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Soft vertical gradient background.
      let v = 225 - Math.round((y / h) * 25);
      const dx = (x - headCx) / 30;
      const dy = (y - headCy) / 38;
      const inHead = dx * dx + dy * dy <= 1;
      const sx = (x - headCx) / 62;
      const sy = (y - (h + 20)) / 80;
      const inShoulders = sx * sx + sy * sy <= 1 && y > 120;
      if (inShoulders) v = 70;
      if (inHead) v = 150;
      // A thin diagonal band marks the picture as a specimen.
      if (Math.abs(x - y * 0.7 - 10) < 2) v = Math.max(0, v - 60);
      const i = (y * w + x) * 4;
      data[i] = v;
      data[i + 1] = v;
      data[i + 2] = v;
      data[i + 3] = 255;
    }
  }
  const encoded = jpeg.encode({ width: w, height: h, data }, quality);
  return Buffer.from(encoded.data);
}
