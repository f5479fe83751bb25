/**
 * Page images of scanned PDFs, straight from pdfText (what the worker runs): a JPEG that fits goes through
 * byte for byte, a large one is decoded and scaled to the edge limit as PNG, a PNG-embedded page comes back
 * as PNG, text pages and drawn pages have no image, and the page and byte limits hold.
 */
import assert from "node:assert/strict";
import { decodeBase64 } from "../../lib/documents/base64.ts";
import { type ImageLimits } from "../../lib/documents/page_images.ts";
import { pdfText } from "../../lib/documents/pdf_text.ts";
import { encodePng } from "../../lib/documents/png_encode.ts";
import { decodePng } from "./png_decode.ts";
import { pageJpeg, scanPdf } from "./pdf_fixtures.ts";

const limits = { maxPages: 100, maxBytes: 32 * 1024 * 1024 };
const imageLimits: ImageLimits = { maxPages: 20, maxEdge: 1568, maxBytes: 3_750_000 };

/** The grey level of the page-number block at the image's top left (pdf_fixtures.ts pagePixels). */
function cornerLevel(png: { width: number; channels: number; pixels: Uint8Array }, scale: number): number {
  const at = Math.floor(20 * scale);
  return png.pixels[(at * png.width + at) * png.channels];
}

Deno.test("encodePng writes a PNG that decodes back to the same grey and RGB pixels", async () => {
  for (const channels of [1, 3] as const) {
    const width = 37, height = 23;
    const pixels = Uint8Array.from({ length: width * height * channels }, (_, index) => (index * 7) % 251);
    const decoded = await decodePng(await encodePng({ width, height, channels, pixels }));
    assert.deepEqual(decoded, { width, height, channels, pixels });
  }
});

Deno.test("a mixed scan: JPEG passed through, large JPEG and PNG pages re-encoded, text and drawn pages not", async () => {
  const pdf = await scanPdf([
    { image: "jpeg" },
    { image: "jpeg", width: 2400, height: 3200 },
    { image: "png", width: 900, height: 1200, colour: true },
    { text: "A typed cover letter" },
    {},
    { image: "jpeg", text: "OCR text layer on a scan" },
  ]);
  const result = await pdfText(pdf, limits, null, imageLimits);
  assert.deepEqual(result.pageTexts.map((text) => text !== ""), [false, false, false, true, false, true]);
  assert.deepEqual(result.images!.map((image) => [image.page, image.mediaType]), [
    [1, "image/jpeg"],
    [2, "image/png"],
    [3, "image/png"],
  ]);
  const [small, large, colour] = result.images!;
  assert.deepEqual(decodeBase64(small.data), pageJpeg(1));
  assert.deepEqual([small.width, small.height], [800, 1000]);

  const scaled = await decodePng(decodeBase64(large.data));
  assert.deepEqual([scaled.width, scaled.height, scaled.channels], [1176, 1568, 1]);
  assert.ok(
    Math.abs(cornerLevel(scaled, 1568 / 3200) - 40) < 12,
    `page 2 marker ${cornerLevel(scaled, 0.49)}`,
  );

  const png = await decodePng(decodeBase64(colour.data));
  assert.deepEqual([png.width, png.height, png.channels], [900, 1200, 3], "the red stamp keeps colour");
  assert.equal(cornerLevel(png, 1), 60, "page 3 marker, lossless");
});

Deno.test("only the first PDF_IMAGE_MAX_PAGES pages without text come back as images", async () => {
  const pdf = await scanPdf(
    Array.from({ length: 5 }, () => ({ image: "jpeg" as const, width: 200, height: 260 })),
  );
  const result = await pdfText(pdf, limits, "Long scan", { ...imageLimits, maxPages: 3 });
  assert.deepEqual(result.images!.map((image) => image.page), [1, 2, 3]);
  assert.equal(result.scanned, true);
});

Deno.test("a page image over PDF_IMAGE_MAX_BYTES is scaled down until it fits", async () => {
  const pdf = await scanPdf([{ image: "png", width: 1200, height: 1500, colour: true }]);
  const roomy = (await pdfText(pdf, limits, null, imageLimits)).images![0];
  const cap = Math.floor(decodeBase64(roomy.data).length / 3);
  const tight = (await pdfText(pdf, limits, null, { ...imageLimits, maxBytes: cap })).images![0];
  assert.ok(decodeBase64(tight.data).length <= cap, `${decodeBase64(tight.data).length} > ${cap}`);
  assert.ok(tight.width < roomy.width && tight.height < roomy.height);
  // A JPEG over the byte cap is not passed through either: it is re-encoded smaller.
  const jpegPdf = await scanPdf([{ image: "jpeg" }]);
  const jpegCap = Math.floor(pageJpeg(1).length / 2);
  const shrunk = (await pdfText(jpegPdf, limits, null, { ...imageLimits, maxBytes: jpegCap })).images![0];
  assert.equal(shrunk.mediaType, "image/png");
  assert.ok(decodeBase64(shrunk.data).length <= jpegCap);
});

Deno.test("without image limits a scan is only text: no page is decoded", async () => {
  const result = await pdfText(await scanPdf([{ image: "jpeg" }]), limits, null);
  assert.equal(result.images, undefined);
  assert.equal(result.scanned, true);
});
