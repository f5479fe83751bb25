/**
 * Reads back the PNGs png_encode.ts writes (8-bit grey or RGB, filters None and Up), for assertions; every
 * chunk's CRC is checked against node:zlib's, an implementation independent of ours.
 */
import { crc32 } from "node:zlib";

export interface DecodedPng {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

export async function decodePng(png: Uint8Array): Promise<DecodedPng> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, index) => png[index] === byte)) throw new Error("not a PNG");
  let offset = 8;
  let width = 0, height = 0, channels: 1 | 3 = 1;
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) {
      throw new Error(`PNG chunk ${type} has a wrong CRC`);
    }
    if (type === "IHDR") {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      channels = data[9] === 0 ? 1 : 3;
    } else if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const inflated = new Uint8Array(
    await new Response(
      new Blob(idat as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(
        new DecompressionStream("deflate"),
      ),
    ).arrayBuffer(),
  );
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = inflated[row * (stride + 1)];
    for (let index = 0; index < stride; index++) {
      const raw = inflated[row * (stride + 1) + 1 + index];
      const above = row > 0 && filter === 2 ? pixels[(row - 1) * stride + index] : 0;
      pixels[row * stride + index] = (raw + above) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}
