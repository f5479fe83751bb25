/**
 * A PDF's text layer, for models that cannot read PDFs: title, `--- Page N ---` markers and a note that the
 * text was extracted. Encrypted, corrupt or oversized files are a 400 naming the problem.
 */
import { extractText, getDocumentProxy } from "unpdf";
import { GatewayError } from "../errors/gateway_error.ts";
import { type ImageLimits, type PageImage, pageImages, type PendingPage } from "./page_images.ts";
import { SCANNED_NOTE } from "./scanned_pdf_note.ts";

export interface PdfLimits {
  maxPages: number;
  maxBytes: number;
}

export interface PdfText {
  title: string | null;
  pages: number;
  /** The whole rendering, note and markers included. */
  text: string;
  /** No page had a text layer (a scan). */
  scanned: boolean;
  /** Each page's text, trimmed ("" for a page with no text layer). */
  pageTexts: string[];
  /** Images of the pages with no text layer, in page order, when they were asked for (page_images.ts). */
  images?: PageImage[];
  /** The first page without a text layer left out because the image time budget ran out. */
  imagesStoppedAt?: number;
  /** With ImageLimits.decodeApart: pages whose image is still to be decoded, each in a worker of its own. */
  imagesPending?: PendingPage[];
}

function invalid(message: string): GatewayError {
  return new GatewayError("invalid_request_error", message);
}

export async function pdfText(
  bytes: Uint8Array,
  limits: PdfLimits,
  name: string | null,
  imageLimits?: ImageLimits,
): Promise<PdfText> {
  const started = performance.now();
  const label = name ? `PDF "${name}"` : "PDF document";
  if (bytes.length > limits.maxBytes) {
    throw invalid(
      `${label} is ${bytes.length} bytes; the gateway accepts PDFs up to ${limits.maxBytes} bytes`,
    );
  }
  if (!startsWithPdfHeader(bytes)) throw invalid(`${label} is not a PDF (no %PDF- header)`);
  let proxy;
  try {
    // verbosity 0: pdf.js would print recovery warnings ("Indexing all PDF objects") to stdout.
    proxy = await getDocumentProxy(bytes.slice(), { verbosity: 0 });
  } catch (error) {
    const reason = (error as Error)?.name === "PasswordException"
      ? "is encrypted (password protected)"
      : `is corrupt or unreadable (${(error as Error)?.message ?? error})`;
    throw invalid(`${label} ${reason}`);
  }
  try {
    if (proxy.numPages > limits.maxPages) {
      throw invalid(`${label} has ${proxy.numPages} pages; the gateway accepts up to ${limits.maxPages}`);
    }
    const info = (await proxy.getMetadata().catch(() => undefined))?.info as
      | Record<string, unknown>
      | undefined;
    const title = name ?? (typeof info?.Title === "string" && info.Title.trim() ? info.Title.trim() : null);
    const { text } = await extractText(proxy, { mergePages: false });
    const pages = (text as string[]).map((page) => page.trim());
    const scanned = pages.every((page) => page === "");
    const textless = pages.flatMap((page, index) => page === "" ? [index + 1] : []);
    const wanted = textless.slice(0, imageLimits?.maxPages);
    const made = imageLimits && textless.length > 0
      ? await pageImages(proxy, bytes, wanted, imageLimits, started + imageLimits.budgetMs)
      : undefined;
    const header = `[${title ? `Document "${title}"` : "PDF document"}, ${pages.length} page${
      pages.length === 1 ? "" : "s"
    }: text extracted from the PDF by the gateway; layout, images and figures are not included]`;
    const body = scanned
      ? SCANNED_NOTE
      : pages.map((page, index) => `--- Page ${index + 1} ---\n${page}`).join("\n\n");
    return {
      title,
      pages: pages.length,
      text: `${header}\n\n${body}`,
      scanned,
      pageTexts: pages,
      images: made?.images,
      imagesStoppedAt: made?.stoppedAt,
      imagesPending: made?.pending.length ? made.pending : undefined,
    };
  } finally {
    await proxy.cleanup().catch(() => {});
  }
}

function startsWithPdfHeader(bytes: Uint8Array): boolean {
  // The header may follow up to 1 KiB of junk, as readers tolerate.
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  return head.includes("%PDF-");
}
