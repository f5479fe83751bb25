/** Tiny image headers (just enough bytes for the size) as base64, for the token tests. */

const u16be = (value: number) => [value >> 8 & 0xff, value & 0xff];
const u16le = (value: number) => [value & 0xff, value >> 8 & 0xff];
const u32be = (value: number) => [value >>> 24 & 0xff, value >> 16 & 0xff, value >> 8 & 0xff, value & 0xff];
const u24le = (value: number) => [value & 0xff, value >> 8 & 0xff, value >> 16 & 0xff];
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
const base64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));

export function pngBase64(width: number, height: number): string {
  return base64([
    0x89,
    ...ascii("PNG\r\n"),
    0x1a,
    0x0a,
    ...u32be(13),
    ...ascii("IHDR"),
    ...u32be(width),
    ...u32be(height),
    8,
    6,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
}

/** A JPEG whose frame header comes after `exifBytes` of APP1 data (EXIF can push it far in). */
export function jpegBase64(width: number, height: number, exifBytes = 0): string {
  const app0 = [0xff, 0xe0, ...u16be(16), ...ascii("JFIF"), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const app1: number[] = [];
  for (let left = exifBytes; left > 0; left -= 65_000) {
    const size = Math.min(left, 65_000);
    app1.push(0xff, 0xe1, ...u16be(size + 2), ...new Array(size).fill(0x41));
  }
  const sof0 = [
    0xff,
    0xc0,
    ...u16be(17),
    8,
    ...u16be(height),
    ...u16be(width),
    3,
    1,
    0x22,
    0,
    2,
    0x11,
    1,
    3,
    0x11,
    1,
  ];
  const bytes = [0xff, 0xd8, ...app0, ...app1, ...sof0, 0xff, 0xd9];
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function gifBase64(width: number, height: number): string {
  return base64([...ascii("GIF89a"), ...u16le(width), ...u16le(height), 0, 0, 0]);
}

export function webpBase64(width: number, height: number): string {
  return base64([
    ...ascii("RIFF"),
    ...u32be(0),
    ...ascii("WEBPVP8X"),
    ...u32be(10),
    0,
    0,
    0,
    0,
    ...u24le(width - 1),
    ...u24le(height - 1),
    0,
    0,
  ]);
}
