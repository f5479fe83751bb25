/**
 * Images of a PDF's pages that have no text layer (scans), for a model that reads images. Each page's largest
 * embedded image stands for the page (a scanner stores one picture per page): passed through as the JPEG
 * the PDF holds when it already fits (page_picture.ts), otherwise decoded by pdf.js (JPEG, JPX, JBIG2,
 * CCITT, Flate), scaled so the long edge is at most `maxEdge`, and re-encoded — as JPEG when the scan was
 * lossy, as PNG when it was not — scaled further until it is at most `maxBytes`. A page that only draws vectors has no image to send: a true render needs a canvas.
 */
import { type getDocumentProxy, getResolvedPDFJS } from "unpdf";
import { PDFDocument } from "pdf-lib";
import { encodeBase64 } from "./base64.ts";
import { type DecodedImage, fitPixels } from "./fit_pixels.ts";
import { encodeJpeg } from "./jpeg_encode.ts";
import { type PagePicture, pagePicture } from "./page_picture.ts";
import { encodePng, type RawImage } from "./png_encode.ts";

export interface ImageLimits {
  /** Pages sent as images, at most. */
  maxPages: number;
  maxEdge: number;
  maxBytes: number;
  /**
   * Time from the PDF's start after which no further page is begun: the pages done are sent and the rest named,
   * rather than the whole PDF failing on PDF_EXTRACT_TIMEOUT_MS.
   */
  budgetMs: number;
  /**
   * Pages that need decoding are not decoded here but listed in `pending`, each to be decoded in a worker of
   * its own (pdf_text_in_worker.ts): a pure-JS decoder's garbage then goes with each page's worker instead of
   * piling up over a long scan (measured in docs/web-tools.md#scanned-pdfs-page-images).
   */
  decodeApart?: boolean;
}

export interface PageImages {
  images: PageImage[];
  /** The first page not begun because the time budget ran out. */
  stoppedAt?: number;
  /** With `decodeApart`: the pages still to decode, in order (empty otherwise). */
  pending: PendingPage[];
}

export interface PendingPage {
  page: number;
  /** The scan was stored lossy: re-encoded as JPEG. */
  lossy: boolean;
}

export interface PageImage {
  /** 1-based. */
  page: number;
  mediaType: "image/jpeg" | "image/png";
  /** Base64. */
  data: string;
  width: number;
  height: number;
}

/** Below this many pixels on both edges an image is a logo or a stamp, not a page. */
const MIN_EDGE = 64;

export type PDFDocumentProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

export async function pageImages(
  proxy: PDFDocumentProxy,
  bytes: Uint8Array,
  pages: number[],
  limits: ImageLimits,
  stopAt: number,
): Promise<PageImages> {
  // pdf-lib reads what the PDF stores (a JPEG to pass through, whether a scan is lossy); a file it cannot parse
  // is decoded by pdf.js alone.
  const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false })
    .catch(() => undefined);
  const images: PageImage[] = [];
  const pending: PendingPage[] = [];
  for (const page of pages) {
    if (performance.now() >= stopAt) return { images, stoppedAt: page, pending };
    let picture: PagePicture | undefined;
    try {
      picture = doc && pagePicture(doc, page - 1, limits);
    } catch {
      picture = undefined;
    }
    if (picture?.jpeg) {
      const { width, height } = picture;
      images.push({ page, mediaType: "image/jpeg", data: encodeBase64(picture.jpeg), width, height });
      continue;
    }
    if (limits.decodeApart) {
      pending.push({ page, lossy: picture?.lossy ?? false });
      continue;
    }
    const image = await decodedPageImage(proxy, { page, lossy: picture?.lossy ?? false }, limits);
    if (image) images.push(image);
  }
  return { images, pending };
}

/** One page decoded by pdf.js, scaled and encoded; undefined when it holds no picture pdf.js can decode. */
export async function decodedPageImage(
  proxy: PDFDocumentProxy,
  { page, lossy }: PendingPage,
  limits: ImageLimits,
): Promise<PageImage | undefined> {
  // A picture pdf.js cannot decode leaves the page without an image (named in a note), not the PDF unread.
  const decoded = await largestImage(proxy, page).catch(() => undefined);
  if (!decoded) return undefined;
  // A lossy scan is re-encoded lossy, a lossless one (Flate, JBIG2, CCITT: often black and white) as PNG.
  const mediaType = lossy ? "image/jpeg" : "image/png";
  const encode = (raw: RawImage) => mediaType === "image/jpeg" ? encodeJpeg(raw) : encodePng(raw);
  let edge = limits.maxEdge;
  // A page too big at this edge is scaled again by the square root of its overshoot; past 256 px it is dropped.
  while (edge >= 256) {
    const raw = fitPixels(decoded, edge);
    const bytes = await encode(raw);
    if (bytes.length <= limits.maxBytes) {
      return { page, mediaType, data: encodeBase64(bytes), width: raw.width, height: raw.height };
    }
    edge = Math.floor(Math.max(raw.width, raw.height) * Math.sqrt(limits.maxBytes / bytes.length) * 0.95);
  }
  return undefined;
}

async function largestImage(proxy: PDFDocumentProxy, pageNumber: number): Promise<DecodedImage | undefined> {
  const { OPS } = await getResolvedPDFJS();
  const page = await proxy.getPage(pageNumber);
  try {
    const operators = await page.getOperatorList();
    let largest: DecodedImage | undefined;
    for (const [index, op] of operators.fnArray.entries()) {
      const args = operators.argsArray[index];
      let image: unknown;
      if (op === OPS.paintImageXObject || op === OPS.paintImageXObjectRepeat) {
        const key = args[0] as string;
        const objects = key.startsWith("g_") ? page.commonObjs : page.objs;
        image = await new Promise((resolve) => objects.get(key, resolve));
      } else if (op === OPS.paintInlineImageXObject) image = args[0];
      const candidate = image as Partial<DecodedImage> | undefined;
      if (!candidate?.data || !candidate.width || !candidate.height || ![1, 2, 3].includes(candidate.kind!)) {
        continue;
      }
      if (Math.max(candidate.width, candidate.height) < MIN_EDGE) continue;
      if (!largest || candidate.width * candidate.height > largest.width * largest.height) {
        largest = candidate as DecodedImage;
      }
    }
    return largest;
  } finally {
    page.cleanup();
  }
}
