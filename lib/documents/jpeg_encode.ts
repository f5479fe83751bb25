/**
 * Re-encodes a scaled page whose scan was a JPEG (or JPEG 2000) as a JPEG again: such a page is grain and
 * compression noise that PNG stores larger (a grainy 300-dpi JPEG page at 1568 px: 0.96 MB as PNG, 0.4 MB as
 * JPEG; bench/scanned_pdf_memory.ts, docs/web-tools.md).
 * jpeg-js is pure JavaScript, so it runs in the worker on Deno Deploy and in `deno compile` alike.
 */
import jpeg from "jpeg-js";
import type { RawImage } from "./png_encode.ts";

/** High enough that small print in a scan stays legible after the second lossy pass. */
const QUALITY = 85;

export function encodeJpeg({ width, height, channels, pixels }: RawImage): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let index = 0, from = 0; index < width * height; index++, from += channels) {
    const at = index * 4;
    rgba[at] = pixels[from];
    rgba[at + 1] = pixels[from + (channels === 3 ? 1 : 0)];
    rgba[at + 2] = pixels[from + (channels === 3 ? 2 : 0)];
    rgba[at + 3] = 255;
  }
  const { data } = jpeg.encode({ data: rgba, width, height }, QUALITY);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
