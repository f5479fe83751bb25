/**
 * pdfText off the main thread: each PDF is extracted in its own Deno Worker (pdf_worker.ts), which is
 * terminated when it answers, when the time limit (PDF_EXTRACT_TIMEOUT_MS) runs out, or when the request is
 * abandoned. A PDF that takes longer than the limit is a 400 naming the limit, never a stalled gateway.
 */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { PdfLimits, PdfText } from "./pdf_text.ts";
import { ExtractSlots } from "./extract_slots.ts";
import type { ImageLimits } from "./page_images.ts";

export interface PdfJob {
  bytes: Uint8Array;
  limits: PdfLimits;
  name: string | null;
  /** Set when pages without a text layer should come back as images. */
  images?: ImageLimits;
}

export type PdfReply = { ok: true; result: PdfText } | { ok: false; known: boolean; message: string };

export interface PdfWorkerLimits extends PdfLimits {
  timeoutMs: number;
  /** Workers that may run at once, process-wide (the first call's value sizes the pool). */
  concurrency: number;
  /** Of those, workers making page images (each can hold a few hundred MiB), process-wide likewise. */
  imageConcurrency: number;
}

let slots: ExtractSlots | undefined;
let imageSlots: ExtractSlots | undefined;

export function pdfWorkerLimits(config: Config): PdfWorkerLimits {
  return {
    maxPages: config.PDF_MAX_PAGES,
    maxBytes: config.PDF_MAX_BYTES,
    timeoutMs: config.PDF_EXTRACT_TIMEOUT_MS,
    concurrency: config.PDF_EXTRACT_CONCURRENCY,
    imageConcurrency: config.PDF_IMAGE_CONCURRENCY,
  };
}

/** Waits for a free worker slot (abandoned with the request), then extracts; the time limit starts then. */
export async function pdfTextInWorker(
  bytes: Uint8Array,
  limits: PdfWorkerLimits,
  name: string | null,
  signal?: AbortSignal,
  images?: ImageLimits,
): Promise<PdfText> {
  // A worker decoding scanned pages peaks far above a text one (docs/web-tools.md#scanned-pdfs-page-images):
  // those take a slot of their own first, so two of them never add up inside a 512 MB isolate.
  imageSlots ??= new ExtractSlots(limits.imageConcurrency);
  const releaseImage = images ? await imageSlots.acquire(signal) : undefined;
  try {
    slots ??= new ExtractSlots(limits.concurrency);
    const release = await slots.acquire(signal);
    try {
      return await extractInWorker(bytes, limits, name, signal, images);
    } finally {
      release();
    }
  } finally {
    releaseImage?.();
  }
}

function extractInWorker(
  bytes: Uint8Array,
  limits: PdfWorkerLimits,
  name: string | null,
  signal?: AbortSignal,
  images?: ImageLimits,
): Promise<PdfText> {
  const { timeoutMs, concurrency: _, imageConcurrency: __, ...pdfLimits } = limits;
  if (bytes.length > pdfLimits.maxBytes) {
    // Refused before a worker starts or a copy is made.
    return Promise.reject(
      new GatewayError(
        "invalid_request_error",
        `${
          name ? `PDF "${name}"` : "PDF document"
        } is ${bytes.length} bytes; the gateway accepts PDFs up to ${pdfLimits.maxBytes} bytes`,
      ),
    );
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  const worker = new Worker(new URL("./pdf_worker.ts", import.meta.url), { type: "module" });
  return new Promise<PdfText>((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      worker.terminate();
      settle();
    };
    const timer = setTimeout(() =>
      finish(() =>
        reject(
          new GatewayError(
            "invalid_request_error",
            `${
              name ? `PDF "${name}"` : "PDF document"
            } took longer than PDF_EXTRACT_TIMEOUT_MS (${timeoutMs} ms) to turn into text; send fewer pages or raise the limit`,
          ),
        )
      ), timeoutMs);
    const onAbort = () => finish(() => reject(signal!.reason));
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.onmessage = ({ data }: MessageEvent<PdfReply>) =>
      finish(() => {
        if (data.ok) resolve(data.result);
        else if (data.known) reject(new GatewayError("invalid_request_error", data.message));
        else reject(new Error(`PDF extraction failed: ${data.message}`));
      });
    worker.onerror = (event) => {
      event.preventDefault();
      finish(() => reject(new Error(`PDF extraction worker failed: ${event.message}`)));
    };
    // A copy is transferred: the caller may still send the original bytes on (a fetched PDF goes to the client).
    const copy = bytes.slice();
    worker.postMessage({ bytes: copy, limits: pdfLimits, name, images } satisfies PdfJob, [copy.buffer]);
  });
}
