/**
 * The worker side of pdf_text_in_worker.ts: one job per worker, so pdf.js's parsing (tens to hundreds of
 * milliseconds of synchronous work for a long PDF) never holds the gateway's event loop. A job is either the
 * PDF's text (and its pass-through page images), or one scanned page's image decoded (PageJob).
 */
import { getDocumentProxy } from "unpdf";
import { GatewayError } from "../errors/gateway_error.ts";
import { pdfText } from "./pdf_text.ts";
import { decodedPageImage, type PageImage } from "./page_images.ts";
import type { PageJob, PdfJob, PdfReply } from "./pdf_text_in_worker.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PdfJob | PageJob>) => void) | null;
  postMessage(reply: PdfReply<unknown>): void;
};

async function pageImage({ bytes, page, images }: PageJob): Promise<PageImage | null> {
  const proxy = await getDocumentProxy(bytes, { verbosity: 0 });
  try {
    return await decodedPageImage(proxy, page, images) ?? null;
  } finally {
    await proxy.cleanup().catch(() => {});
  }
}

scope.onmessage = async ({ data }) => {
  try {
    const result = "page" in data
      ? await pageImage(data)
      : await pdfText(data.bytes, data.limits, data.name, data.images);
    scope.postMessage({ ok: true, result });
  } catch (error) {
    // A GatewayError (encrypted, corrupt, too many pages) keeps its message; anything else is our fault.
    const known = error instanceof GatewayError;
    scope.postMessage({ ok: false, known, message: known ? error.message : String(error) });
  }
};
