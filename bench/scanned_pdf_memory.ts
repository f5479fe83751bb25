/**
 * Peak memory and time of turning a 20-page 300-dpi scanned PDF into page images in the PDF worker, as the
 * gateway does it (pdfTextInWorker): process RSS sampled every 5 ms. `deno run -A bench/scanned_pdf_memory.ts [pages]`
 */
import { pdfTextInWorker } from "../lib/documents/pdf_text_in_worker.ts";
import { pageJpeg, repeatedScanPdf } from "../tests/documents/pdf_fixtures.ts";

const pages = Number(Deno.args[0] ?? 20);
const pdf = await repeatedScanPdf(pages, { jpeg: pageJpeg(1, 2550, 3300, false, true) });
const limits = {
  maxPages: 100,
  maxBytes: 64 * 1024 * 1024,
  timeoutMs: 600_000,
  concurrency: 1,
  imageConcurrency: 1,
};
const images = { maxPages: pages, maxEdge: 1568, maxBytes: 3_750_000, budgetMs: 600_000 };
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

for (const run of [1, 2, 3]) {
  const before = Deno.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 5);
  const started = performance.now();
  const result = await pdfTextInWorker(pdf, limits, "bench", undefined, images);
  const elapsed = performance.now() - started;
  clearInterval(timer);
  const sent = result.images!.reduce((sum, image) => sum + image.data.length, 0);
  console.log(
    `run ${run}: ${(pdf.length / 1e6).toFixed(1)} MB PDF, ${result.images!.length} page images ` +
      `(${(sent / 1e6).toFixed(1)} MB base64) in ${elapsed.toFixed(0)} ms; RSS ${mb(before)} -> peak ${
        mb(peak)
      } ` +
      `(+${mb(peak - before)})`,
  );
}
