/**
 * The worker side of pdf_text_in_worker.ts: one extraction per worker, so pdf.js's parsing (tens to hundreds
 * of milliseconds of synchronous work for a long PDF) never holds the gateway's event loop.
 */
import { GatewayError } from "../errors/gateway_error.ts";
import { pdfText } from "./pdf_text.ts";
import type { PdfJob, PdfReply } from "./pdf_text_in_worker.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PdfJob>) => void) | null;
  postMessage(reply: PdfReply): void;
};

scope.onmessage = async ({ data }) => {
  try {
    scope.postMessage({ ok: true, result: await pdfText(data.bytes, data.limits, data.name, data.images) });
  } catch (error) {
    // A GatewayError (encrypted, corrupt, too many pages) keeps its message; anything else is our fault.
    const known = error instanceof GatewayError;
    scope.postMessage({ ok: false, known, message: known ? error.message : String(error) });
  }
};
