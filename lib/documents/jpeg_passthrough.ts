/**
 * A scanned page's JPEG as the PDF stores it (a DCTDecode image XObject), when it can go to a vision model
 * unchanged: grey or RGB, no Decode array or soft mask that would change its look, within the edge and byte
 * limits. Sending those bytes costs no decoding and keeps the scanner's own compression; anything else is
 * decoded by pdf.js and re-encoded (page_images.ts).
 */
import { PDFArray, type PDFDict, type PDFDocument, PDFName, PDFNumber, PDFRawStream } from "pdf-lib";

export interface JpegLimits {
  maxEdge: number;
  maxBytes: number;
}

export interface PassedJpeg {
  width: number;
  height: number;
  bytes: Uint8Array;
}

const name = (value: string) => PDFName.of(value);

function components(dict: PDFDict): number | undefined {
  const space = dict.lookup(name("ColorSpace"));
  if (space === name("DeviceGray")) return 1;
  if (space === name("DeviceRGB")) return 3;
  // [/ICCBased stream]: the stream's /N says how many components.
  if (space instanceof PDFArray && space.lookup(0) === name("ICCBased")) {
    const profile = space.lookup(1);
    const count = profile instanceof PDFRawStream ? profile.dict.lookup(name("N")) : undefined;
    return count instanceof PDFNumber ? count.asNumber() : undefined;
  }
  return undefined;
}

function isPlainDct(dict: PDFDict): boolean {
  const filter = dict.lookup(name("Filter"));
  const only = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
  return only === name("DCTDecode") && !dict.has(name("Decode")) && !dict.has(name("SMask")) &&
    !dict.has(name("Mask")) && [1, 3].includes(components(dict) ?? 0);
}

/** The page's largest image XObject, if it is a JPEG that fits as it is; undefined otherwise. */
export function jpegPassthrough(
  doc: PDFDocument,
  pageIndex: number,
  limits: JpegLimits,
): PassedJpeg | undefined {
  const resources = doc.getPage(pageIndex).node.Resources();
  const xobjects = resources?.lookup(name("XObject"));
  if (!xobjects || !("entries" in xobjects)) return undefined;
  let largest: { stream: PDFRawStream; width: number; height: number } | undefined;
  for (const [, ref] of (xobjects as PDFDict).entries()) {
    const stream = doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream) || stream.dict.lookup(name("Subtype")) !== name("Image")) continue;
    const width = stream.dict.lookup(name("Width"));
    const height = stream.dict.lookup(name("Height"));
    if (!(width instanceof PDFNumber) || !(height instanceof PDFNumber)) continue;
    const size = { width: width.asNumber(), height: height.asNumber() };
    if (!largest || size.width * size.height > largest.width * largest.height) largest = { stream, ...size };
  }
  if (!largest || !isPlainDct(largest.stream.dict)) return undefined;
  const { stream, width, height } = largest;
  if (Math.max(width, height) > limits.maxEdge || stream.contents.length > limits.maxBytes) return undefined;
  return { width, height, bytes: stream.contents };
}
