/**
 * Page images of scanned PDFs, straight from pdfText (what the worker runs): a JPEG that fits goes through
 * byte for byte, a large one is decoded and scaled to the edge limit as PNG, a PNG-embedded page comes back
 * as PNG, text pages and drawn pages have no image, and the page and byte limits hold.
 */
import jpeg from "jpeg-js";
import assert from "node:assert/strict";
import { decodeBase64 } from "../../lib/documents/base64.ts";
import { fitPixels } from "../../lib/documents/fit_pixels.ts";
import type { ImageLimits } from "../../lib/documents/page_images.ts";
import { pdfText } from "../../lib/documents/pdf_text.ts";
import { encodePng } from "../../lib/documents/png_encode.ts";
import { decodePng } from "./png_decode.ts";
import { pageJpeg, scanPdf } from "./pdf_fixtures.ts";

const limits = { maxPages: 100, maxBytes: 32 * 1024 * 1024 };
const imageLimits: ImageLimits = { maxPages: 20, maxEdge: 1568, maxBytes: 3_750_000, budgetMs: 600_000 };

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
    [2, "image/jpeg"],
    [3, "image/png"],
  ]);
  const [small, large, colour] = result.images!;
  assert.deepEqual(decodeBase64(small.data), pageJpeg(1));
  assert.deepEqual([small.width, small.height], [800, 1000]);

  // Re-encoded as JPEG, the scan's own kind of compression, at the edge limit.
  const decoded = jpeg.decode(decodeBase64(large.data), { useTArray: true });
  const scaled = { width: decoded.width, channels: 4, pixels: decoded.data };
  assert.deepEqual([decoded.width, decoded.height, large.width, large.height], [1176, 1568, 1176, 1568]);
  const level = cornerLevel(scaled, 1568 / 3200);
  assert.ok(Math.abs(level - 40) < 12, `page 2 marker ${level}`);

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
  assert.equal(shrunk.mediaType, "image/jpeg");
  assert.ok(decodeBase64(shrunk.data).length <= jpegCap);
  assert.ok(shrunk.width < 800 && shrunk.height < 1000);
});

Deno.test("without image limits a scan is only text: no page is decoded", async () => {
  const result = await pdfText(await scanPdf([{ image: "jpeg" }]), limits, null);
  assert.equal(result.images, undefined);
  assert.equal(result.scanned, true);
});

Deno.test("fitPixels reads 1-bit and RGBA pixels, averages boxes when scaling, and keeps grey as grey", () => {
  // 16 x 2 bilevel: a set bit is white; the first byte of each row is white, the second black.
  const bilevel = fitPixels(
    { width: 16, height: 2, kind: 1, data: Uint8Array.of(0xff, 0x00, 0xff, 0x00) },
    8,
  );
  assert.deepEqual(bilevel, {
    width: 8,
    height: 1,
    channels: 1,
    pixels: Uint8Array.of(255, 255, 255, 255, 0, 0, 0, 0),
  });
  // RGBA: transparent goes on white paper, opaque red stays red.
  const rgba = fitPixels(
    { width: 2, height: 1, kind: 3, data: Uint8Array.of(0, 0, 0, 0, 255, 0, 0, 255) },
    10,
  );
  assert.deepEqual(rgba, {
    width: 2,
    height: 1,
    channels: 3,
    pixels: Uint8Array.of(255, 255, 255, 255, 0, 0),
  });
  // RGB 4 x 4 halved: each output pixel is its 2 x 2 box's mean.
  const rgb = new Uint8Array(4 * 4 * 3).map((_, index) => (Math.floor(index / 3) % 4 < 2 ? 10 : 50));
  assert.deepEqual(
    fitPixels({ width: 4, height: 4, kind: 2, data: rgb }, 2).pixels,
    Uint8Array.of(10, 50, 10, 50),
  );
});

Deno.test("past the time budget no further page is begun: the pages done come back and the first left out is named", async () => {
  const pdf = await scanPdf([{ image: "jpeg", width: 200, height: 260 }, {
    image: "jpeg",
    width: 200,
    height: 260,
  }]);
  const result = await pdfText(pdf, limits, null, { ...imageLimits, budgetMs: 0 });
  assert.deepEqual(result.images, []);
  assert.equal(result.imagesStoppedAt, 1);
});
