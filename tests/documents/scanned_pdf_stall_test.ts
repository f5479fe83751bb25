/**
 * Page images of a scanned PDF are made in the PDF worker: while four 300-dpi pages are decoded, scaled and
 * re-encoded for an image-capable model (kimi-k2.6 in the bundled catalog), the real server's event loop keeps
 * answering, and the pages reach the upstream as images.
 */
import assert from "node:assert/strict";
import { pagePngBytes, repeatedScanPdf, scanPdf } from "./pdf_fixtures.ts";
import { assertNoStallWhileReading } from "./pdf_stall_probe.ts";

Deno.test("a 300-dpi scanned PDF becomes page images without stalling the real server's event loop", async () => {
  const sent = await assertNoStallWhileReading(
    // The warm-up scan loads pdf.js, pdf-lib and jpeg-js once.
    await scanPdf([{ image: "jpeg", width: 300, height: 400 }]),
    // Flate-compressed 300-dpi pages: a small request (the main thread's JSON and base64 work stays small)
    // with a full decode, scale and PNG encode per page in the worker.
    await repeatedScanPdf(4, { png: await pagePngBytes(1, 2550, 3300, true) }),
    // A loaded test machine may take several times the real cost; the limit is not what is tested here.
    { PDF_EXTRACT_TIMEOUT_MS: "300000" },
  );
  assert.equal(sent.match(/"image_url":\{"url":"data:image\/png;base64,/g)?.length, 4);
  assert.match(sent, /page 4 of 4, scanned: page image/);
});
