/**
 * Page images of a 20-page scanned PDF, the three ways a page can go (page_images.ts): a JPEG that already
 * fits passed through, a 300-dpi Letter JPEG (2550 x 3300) decoded by pdf.js and re-encoded as a 1568-px PNG,
 * and a Flate (PNG-embedded) scan likewise. Each 300-dpi run takes seconds, so iterations are few (`n`).
 * Peak memory is measured by bench/scanned_pdf_memory.ts.
 */
import { pdfText } from "../lib/documents/pdf_text.ts";
import { pageJpeg, pagePngBytes, repeatedScanPdf } from "../tests/documents/pdf_fixtures.ts";

const limits = { maxPages: 100, maxBytes: 64 * 1024 * 1024 };
const images = { maxPages: 20, maxEdge: 1568, maxBytes: 3_750_000, budgetMs: 600_000 };

const fits = await repeatedScanPdf(20, { jpeg: pageJpeg(1, 1200, 1568, false, true) });
const letter = await repeatedScanPdf(20, { jpeg: pageJpeg(1, 2550, 3300, false, true) });
const flate = await repeatedScanPdf(20, { png: await pagePngBytes(1, 2550, 3300, true) });

const sizes = async (pdf: Uint8Array) => {
  const result = await pdfText(pdf, limits, null, images);
  const bytes = result.images!.reduce((sum, image) => sum + image.data.length, 0);
  return `${(pdf.length / 1e6).toFixed(1)} MB PDF -> ${(bytes / 1e6).toFixed(1)} MB base64 images`;
};
console.log(`fitting JPEGs: ${await sizes(fits)}`);
console.log(`300-dpi JPEGs: ${await sizes(letter)}`);
console.log(`300-dpi Flate: ${await sizes(flate)}`);

Deno.bench(
  "20 scanned pages, JPEGs that fit (1200x1568): passed through",
  { group: "scan", n: 5, warmup: 1 },
  async () => {
    await pdfText(fits, limits, null, images);
  },
);

Deno.bench(
  "20 scanned pages, 300-dpi JPEGs: decoded, scaled, JPEG",
  { group: "scan", baseline: true, n: 3, warmup: 1 },
  async () => {
    await pdfText(letter, limits, null, images);
  },
);

Deno.bench(
  "20 scanned pages, 300-dpi Flate images: decoded, scaled, PNG",
  { group: "scan", n: 3, warmup: 1 },
  async () => {
    await pdfText(flate, limits, null, images);
  },
);

Deno.bench(
  "20 scanned pages, 300-dpi JPEGs: text only (no image reader)",
  { group: "scan", n: 5, warmup: 1 },
  async () => {
    await pdfText(letter, limits, null);
  },
);
