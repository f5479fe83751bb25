/**
 * What the PDF itself says about a scanned page's picture (its largest image XObject, read with pdf-lib):
 * whether it was stored lossy (DCTDecode, JPXDecode: re-encoded as JPEG after scaling), and the JPEG bytes
 * when they can go to a vision model unchanged: grey or RGB, no Decode array or mask that would change its
 * look, within the edge and byte limits. Passing those bytes costs no decoding and keeps the scanner's own
 * compression; anything else is decoded by pdf.js (page_images.ts).
 */
import { PDFArray, type PDFDict, type PDFDocument, PDFName, PDFNumber, PDFRawStream } from "pdf-lib";

export interface JpegLimits {
  maxEdge: number;
  maxBytes: number;
}

export interface PagePicture {
  width: number;
  height: number;
  lossy: boolean;
  /** The JPEG as stored, when it may be sent as it is. */
  jpeg?: Uint8Array;
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

function filters(dict: PDFDict): unknown[] {
  const filter = dict.lookup(name("Filter"));
  return filter instanceof PDFArray ? filter.asArray().map((_, index) => filter.lookup(index)) : [filter];
}

function isPlainJpeg(dict: PDFDict): boolean {
  const chain = filters(dict);
  return chain.length === 1 && chain[0] === name("DCTDecode") && !dict.has(name("Decode")) &&
    !dict.has(name("SMask")) && !dict.has(name("Mask")) && [1, 3].includes(components(dict) ?? 0);
}

/** The page's largest image XObject; undefined when the page has none pdf-lib can see. */
export function pagePicture(
  doc: PDFDocument,
  pageIndex: number,
  limits: JpegLimits,
): PagePicture | undefined {
  const xobjects = doc.getPage(pageIndex).node.Resources()?.lookup(name("XObject"));
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
  if (!largest) return undefined;
  const { stream, width, height } = largest;
  const lossy = filters(stream.dict).some((filter) =>
    filter === name("DCTDecode") || filter === name("JPXDecode")
  );
  const fits = Math.max(width, height) <= limits.maxEdge && stream.contents.length <= limits.maxBytes;
  return { width, height, lossy, jpeg: fits && isPlainJpeg(stream.dict) ? stream.contents : undefined };
}
