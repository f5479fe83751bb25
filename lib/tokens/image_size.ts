/** Pixel size from the first bytes of a base64 PNG, JPEG, GIF or WebP, without decoding the whole image. */

export interface ImageSize {
  width: number;
  height: number;
}

// JPEG may put EXIF (thumbnails included) before the frame header; look this far at most.
const maxScanBase64 = 512 * 1024;

export function imageSizeFromBase64(data: string): ImageSize | undefined {
  let length = 4096;
  while (true) {
    const bytes = decodePrefix(data, length);
    if (!bytes) return undefined;
    const size = pngSize(bytes) ?? gifSize(bytes) ?? webpSize(bytes);
    if (size) return size;
    if (!isJpeg(bytes)) return undefined;
    const jpeg = jpegSize(bytes);
    if (jpeg !== "more") return jpeg;
    if (length >= data.length || length >= maxScanBase64) return undefined;
    length *= 8;
  }
}

function decodePrefix(data: string, length: number): Uint8Array | undefined {
  const prefix = data.slice(0, Math.min(data.length, length) & ~3);
  try {
    const binary = atob(prefix);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return bytes;
  } catch {
    return undefined;
  }
}

function valid(width: number, height: number): ImageSize | undefined {
  return width > 0 && height > 0 ? { width, height } : undefined;
}

function pngSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 24 || bytes[0] !== 0x89 || bytes[1] !== 0x50 || bytes[2] !== 0x4e || bytes[3] !== 0x47) {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return valid(view.getUint32(16), view.getUint32(20));
}

function gifSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 10 || String.fromCharCode(...bytes.subarray(0, 4)) !== "GIF8") return undefined;
  return valid(bytes[6] | bytes[7] << 8, bytes[8] | bytes[9] << 8);
}

function webpSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 30) return undefined;
  const tag = (from: number) => String.fromCharCode(...bytes.subarray(from, from + 4));
  if (tag(0) !== "RIFF" || tag(8) !== "WEBP") return undefined;
  const chunk = tag(12);
  if (chunk === "VP8 ") {
    return valid((bytes[26] | bytes[27] << 8) & 0x3fff, (bytes[28] | bytes[29] << 8) & 0x3fff);
  }
  if (chunk === "VP8L") {
    return valid(
      1 + (bytes[21] | (bytes[22] & 0x3f) << 8),
      1 + (bytes[22] >> 6 | bytes[23] << 2 | (bytes[24] & 0x0f) << 10),
    );
  }
  if (chunk === "VP8X") {
    return valid(
      1 + (bytes[24] | bytes[25] << 8 | bytes[26] << 16),
      1 + (bytes[27] | bytes[28] << 8 | bytes[29] << 16),
    );
  }
  return undefined;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8;
}

/** Walks the marker segments to the first SOFn; "more" when the prefix ended first. */
function jpegSize(bytes: Uint8Array): ImageSize | undefined | "more" {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset++;
      continue;
    }
    const length = bytes[offset + 2] << 8 | bytes[offset + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      return valid(bytes[offset + 7] << 8 | bytes[offset + 8], bytes[offset + 5] << 8 | bytes[offset + 6]);
    }
    offset += 2 + length;
  }
  return "more";
}
