/**
 * pdfText off the main thread: each PDF is extracted in its own Deno Worker (pdf_worker.ts), which is
 * terminated when it answers, when the time limit (PDF_EXTRACT_TIMEOUT_MS) runs out, or when the request is
 * abandoned. A PDF that takes longer than the limit is a 400 naming the limit, never a stalled gateway.
 */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { PdfLimits, PdfText } from "./pdf_text.ts";
import { ExtractSlots } from "./extract_slots.ts";
import type { ImageLimits, PageImage, PendingPage } from "./page_images.ts";

export interface PdfJob {
  bytes: Uint8Array;
  limits: PdfLimits;
  name: string | null;
  /** Set when pages without a text layer should come back as images. */
  images?: ImageLimits;
}

/** One scanned page's image, decoded in a worker of its own (page_images.ts decodeApart). */
export interface PageJob {
  bytes: Uint8Array;
  page: PendingPage;
  images: ImageLimits;
}

export type PdfReply<T> = { ok: true; result: T } | { ok: false; known: boolean; message: string };

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
      return await extractInWorkers(bytes, limits, name, signal, images);
    } finally {
      release();
    }
  } finally {
    releaseImage?.();
  }
}

/**
 * The text (and the page images that need no decoding) in one worker, then each page image that does in a
 * worker of its own, one after another: a worker decoding a long scan kept every page's garbage to the end
 * (+442 MiB RSS for 20 pages at 300 dpi, against +182 MiB for one). Pages are begun until `budgetMs`, and the
 * whole stays within PDF_EXTRACT_TIMEOUT_MS.
 */
async function extractInWorkers(
  bytes: Uint8Array,
  limits: PdfWorkerLimits,
  name: string | null,
  signal?: AbortSignal,
  images?: ImageLimits,
): Promise<PdfText> {
  const { timeoutMs, concurrency: _, imageConcurrency: __, ...pdfLimits } = limits;
  const label = name ? `PDF "${name}"` : "PDF document";
  if (bytes.length > pdfLimits.maxBytes) {
    // Refused before a worker starts or a copy is made.
    throw new GatewayError(
      "invalid_request_error",
      `${label} is ${bytes.length} bytes; the gateway accepts PDFs up to ${pdfLimits.maxBytes} bytes`,
    );
  }
  const started = performance.now();
  const run = <T>(job: PdfJob | PageJob) => inWorker<T>(job, started + timeoutMs, timeoutMs, label, signal);
  // A copy is transferred each time: the caller may still send the original bytes on (a fetched PDF goes on).
  const text = await run<PdfText>({
    bytes: bytes.slice(),
    limits: pdfLimits,
    name,
    images: images && { ...images, decodeApart: true },
  });
  if (!images || !text.imagesPending) return text;
  const made: PageImage[] = [...text.images ?? []];
  let stoppedAt = text.imagesStoppedAt;
  for (const page of text.imagesPending) {
    if (performance.now() >= started + images.budgetMs) {
      stoppedAt = page.page;
      break;
    }
    const image = await run<PageImage | null>({ bytes: bytes.slice(), page, images });
    if (image) made.push(image);
  }
  made.sort((a, b) => a.page - b.page);
  return { ...text, images: made, imagesStoppedAt: stoppedAt, imagesPending: undefined };
}

/** One job in a fresh worker, terminated when it answers, at `deadline`, or when the request is abandoned. */
function inWorker<T>(
  job: PdfJob | PageJob,
  deadline: number,
  timeoutMs: number,
  label: string,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const worker = new Worker(new URL("./pdf_worker.ts", import.meta.url), { type: "module" });
  return new Promise<T>((resolve, reject) => {
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
            `${label} took longer than PDF_EXTRACT_TIMEOUT_MS (${timeoutMs} ms) to turn into text; send fewer pages or raise the limit`,
          ),
        )
      ), Math.max(0, deadline - performance.now()));
    const onAbort = () => finish(() => reject(signal!.reason));
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.onmessage = ({ data }: MessageEvent<PdfReply<T>>) =>
      finish(() => {
        if (data.ok) resolve(data.result);
        else if (data.known) reject(new GatewayError("invalid_request_error", data.message));
        else reject(new Error(`PDF extraction failed: ${data.message}`));
      });
    worker.onerror = (event) => {
      event.preventDefault();
      finish(() => reject(new Error(`PDF extraction worker failed: ${event.message}`)));
    };
    worker.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
  });
}
