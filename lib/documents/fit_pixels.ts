/**
 * A page image as pdf.js decodes it (1-bit, RGB or RGBA pixels) made ready for encodePng: scaled down with a
 * box filter so the long edge is at most `maxEdge` (what vision models read anyway: Anthropic downsizes past
 * 1568 px), and stored as grey when every pixel is (nearly) grey, a third of the bytes for a paper scan.
 */
import type { RawImage } from "./png_encode.ts";

/** pdf.js's ImageKind: GRAYSCALE_1BPP, RGB_24BPP, RGBA_32BPP. */
export interface DecodedImage {
  width: number;
  height: number;
  kind: 1 | 2 | 3;
  data: Uint8Array | Uint8ClampedArray;
}

/** JPEG noise in a grey scan stored as colour stays within a few levels between channels. */
const GREY_TOLERANCE = 6;

/** Adds one source row to the RGB sums of its target row (1-bit rows: a set bit is white, as pdf.js paints). */
function rowAdder(image: DecodedImage, columnOf: Uint32Array): (row: number, sums: Uint32Array) => void {
  const { width, kind, data } = image;
  if (kind === 1) {
    const stride = (width + 7) >> 3;
    return (row, sums) => {
      for (let x = 0; x < width; x++) {
        const value = (data[row * stride + (x >> 3)] >> (7 - (x & 7))) & 1 ? 255 : 0;
        const at = columnOf[x] * 3;
        sums[at] += value;
        sums[at + 1] += value;
        sums[at + 2] += value;
      }
    };
  }
  const step = kind === 2 ? 3 : 4;
  return (row, sums) => {
    for (let x = 0, from = row * width * step; x < width; x++, from += step) {
      const at = columnOf[x] * 3;
      if (step === 3) {
        sums[at] += data[from];
        sums[at + 1] += data[from + 1];
        sums[at + 2] += data[from + 2];
        continue;
      }
      // Transparent parts go on white paper.
      const alpha = data[from + 3];
      const paper = 255 * (255 - alpha);
      sums[at] += (data[from] * alpha + paper) / 255;
      sums[at + 1] += (data[from + 1] * alpha + paper) / 255;
      sums[at + 2] += (data[from + 2] * alpha + paper) / 255;
    }
  };
}

/** RGB to grey when no pixel has colour; checked after scaling, on a fraction of the pixels. */
function greyIfColourless(rgb: Uint8Array): Uint8Array | undefined {
  for (let at = 0; at < rgb.length; at += 3) {
    if (Math.abs(rgb[at] - rgb[at + 1]) > GREY_TOLERANCE) return undefined;
    if (Math.abs(rgb[at + 1] - rgb[at + 2]) > GREY_TOLERANCE) return undefined;
  }
  const grey = new Uint8Array(rgb.length / 3);
  for (let index = 0; index < grey.length; index++) {
    const at = index * 3;
    grey[index] = Math.round((rgb[at] * 299 + rgb[at + 1] * 587 + rgb[at + 2] * 114) / 1000);
  }
  return grey;
}

export function fitPixels(image: DecodedImage, maxEdge: number): RawImage {
  const { width, height } = image;
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  // Each source column and row falls in one box; boxes differ by at most one pixel.
  const columnOf = Uint32Array.from({ length: width }, (_, x) => Math.floor((x * outWidth) / width));
  const boxWidth = new Uint32Array(outWidth);
  for (const column of columnOf) boxWidth[column]++;
  const add = rowAdder(image, columnOf);
  const rgb = new Uint8Array(outWidth * outHeight * 3);
  const sums = new Uint32Array(outWidth * 3);
  let target = 0;
  let rows = 0;
  const flush = () => {
    const base = target * outWidth * 3;
    for (let at = 0; at < sums.length; at++) {
      rgb[base + at] = Math.round(sums[at] / (boxWidth[(at / 3) | 0] * rows));
    }
    sums.fill(0);
    rows = 0;
  };
  for (let y = 0; y < height; y++) {
    const next = Math.floor((y * outHeight) / height);
    if (next !== target) {
      flush();
      target = next;
    }
    add(y, sums);
    rows++;
  }
  flush();
  const grey = greyIfColourless(rgb);
  return grey
    ? { width: outWidth, height: outHeight, channels: 1, pixels: grey }
    : { width: outWidth, height: outHeight, channels: 3, pixels: rgb };
}
