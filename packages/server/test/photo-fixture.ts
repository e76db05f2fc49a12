import sharp from 'sharp';
import { seededRandom } from '@enclave/testkit';

/**
 * A photo-like JPEG: a gradient under overlapping translucent discs placed by the seed, so that it has structure
 * at every scale like a real photo (a flat colour would tell a perceptual hash nothing). The same seed gives the
 * same image.
 */
export async function photoLikeJpeg(seed: number, width = 1600, height = 1200, quality = 92): Promise<Buffer> {
  const random = seededRandom(seed);
  const byte = () => Math.floor(random() * 256);
  const discs = Array.from(
    { length: 40 },
    () => `<circle cx="${Math.floor(random() * width)}" cy="${Math.floor(random() * height)}" r="${Math.floor(20 + random() * 300)}" fill="rgb(${byte()},${byte()},${byte()})" fill-opacity="0.6"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g"><stop offset="0" stop-color="#234"/><stop offset="1" stop-color="#eda"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${discs}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality }).toBuffer();
}
