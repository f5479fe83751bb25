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

/** One source row as RGB bytes (1-bit rows: a set bit is white, as pdf.js paints them). */
function rowReader(image: DecodedImage): (row: number, out: Uint8Array) => void {
  const { width, kind, data } = image;
  if (kind === 1) {
    const stride = (width + 7) >> 3;
    return (row, out) => {
      for (let x = 0; x < width; x++) {
        const value = (data[row * stride + (x >> 3)] >> (7 - (x & 7))) & 1 ? 255 : 0;
        out[x * 3] = out[x * 3 + 1] = out[x * 3 + 2] = value;
      }
    };
  }
  if (kind === 2) return (row, out) => out.set(data.subarray(row * width * 3, (row + 1) * width * 3));
  return (row, out) => {
    for (let x = 0, at = row * width * 4; x < width; x++, at += 4) {
      // Transparent parts go on white paper.
      const alpha = data[at + 3];
      for (let c = 0; c < 3; c++) out[x * 3 + c] = (data[at + c] * alpha + 255 * (255 - alpha)) / 255;
    }
  };
}

function isGrey(image: DecodedImage, read: ReturnType<typeof rowReader>, row: Uint8Array): boolean {
  if (image.kind === 1) return true;
  for (let y = 0; y < image.height; y++) {
    read(y, row);
    for (let at = 0; at < row.length; at += 3) {
      if (Math.abs(row[at] - row[at + 1]) > GREY_TOLERANCE) return false;
      if (Math.abs(row[at + 1] - row[at + 2]) > GREY_TOLERANCE) return false;
    }
  }
  return true;
}

export function fitPixels(image: DecodedImage, maxEdge: number): RawImage {
  const { width, height } = image;
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const read = rowReader(image);
  const row = new Uint8Array(width * 3);
  const channels = isGrey(image, read, row) ? 1 : 3;
  // Each source column and row falls in one box; boxes differ by at most one pixel.
  const columnOf = Uint32Array.from({ length: width }, (_, x) => Math.floor((x * outWidth) / width));
  const boxWidth = new Uint32Array(outWidth);
  for (const column of columnOf) boxWidth[column]++;
  const pixels = new Uint8Array(outWidth * outHeight * channels);
  const sums = new Uint32Array(outWidth * channels);
  let target = 0;
  let rows = 0;
  const flush = () => {
    for (let x = 0; x < outWidth; x++) {
      for (let c = 0; c < channels; c++) {
        const at = x * channels + c;
        pixels[(target * outWidth) * channels + at] = Math.round(sums[at] / (boxWidth[x] * rows));
      }
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
    read(y, row);
    for (let x = 0; x < width; x++) {
      const at = columnOf[x] * channels;
      if (channels === 1) {
        sums[at] += (row[x * 3] * 299 + row[x * 3 + 1] * 587 + row[x * 3 + 2] * 114) / 1000;
      } else {
        sums[at] += row[x * 3];
        sums[at + 1] += row[x * 3 + 1];
        sums[at + 2] += row[x * 3 + 2];
      }
    }
    rows++;
  }
  flush();
  return { width: outWidth, height: outHeight, channels, pixels };
}
