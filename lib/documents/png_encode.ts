/**
 * A minimal PNG encoder for page images decoded by pdf.js: 8-bit grey or RGB, each row with the "Up" filter
 * (scans are mostly flat paper, which Up turns into zero runs), deflated by the platform's CompressionStream
 * so no native addon or npm codec is needed.
 */
export interface RawImage {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB) bytes per pixel, rows top to bottom. */
  channels: 1 | 3;
  pixels: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return crc;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let index = 0; index < 4; index++) out[4 + index] = type.charCodeAt(index);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0);
  return out;
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("deflate"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodePng({ width, height, channels, pixels }: RawImage): Promise<Uint8Array> {
  const stride = width * channels;
  const filtered = new Uint8Array((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    const at = row * (stride + 1);
    const line = row * stride;
    if (row === 0) {
      filtered.set(pixels.subarray(0, stride), at + 1);
      continue;
    }
    filtered[at] = 2; // Up: each byte minus the one above it
    for (let index = 0; index < stride; index++) {
      filtered[at + 1 + index] = pixels[line + index] - pixels[line - stride + index];
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = channels === 1 ? 0 : 2; // colour type: grey or truecolour
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk("IHDR", header),
    chunk("IDAT", await deflate(filtered)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
