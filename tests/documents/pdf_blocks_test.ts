/**
 * pdfBlocks, the request side of a PDF with pages that have no text layer: typed pages stay text with page
 * markers, scanned pages become a marker and an image in page order, and every page the model does not see is
 * named in a note with the reason (no picture, past PDF_IMAGE_MAX_PAGES, out of time).
 */
import assert from "node:assert/strict";
import type { ImageLimits, PageImage } from "../../lib/documents/page_images.ts";
import { pdfBlocks } from "../../lib/documents/pdf_blocks.ts";
import type { PdfText } from "../../lib/documents/pdf_text.ts";

const limits: ImageLimits = { maxPages: 4, maxEdge: 1568, maxBytes: 3_750_000, budgetMs: 10_000 };
const image = (page: number): PageImage => ({
  page,
  mediaType: "image/png",
  data: `png${page}`,
  width: 9,
  height: 9,
});

function extracted(pageTexts: string[], images: PageImage[] | undefined, imagesStoppedAt?: number): PdfText {
  return {
    title: "Scan",
    pages: pageTexts.length,
    text: '[Document "Scan": text extracted]',
    scanned: pageTexts.every((text) => text === ""),
    pageTexts,
    images,
    imagesStoppedAt,
  };
}

Deno.test("typed pages stay text, scanned pages are a marker and an image, in page order", () => {
  const blocks = pdfBlocks(extracted(["Cover letter", "", "Appendix", ""], [image(2), image(4)]), limits);
  assert.deepEqual(blocks, [
    {
      type: "text",
      text:
        '[Document "Scan", 4 pages: text extracted from the PDF by the gateway; pages without a text layer ' +
        "follow as page images]\n\n--- Page 1 ---\nCover letter",
    },
    { type: "text", text: '[Document "Scan", page 2 of 4, scanned: page image]' },
    { type: "image", source: { type: "base64", media_type: "image/png", data: "png2" } },
    { type: "text", text: "--- Page 3 ---\nAppendix" },
    { type: "text", text: '[Document "Scan", page 4 of 4, scanned: page image]' },
    { type: "image", source: { type: "base64", media_type: "image/png", data: "png4" } },
  ]);
});

Deno.test("pages without a picture, past the page limit or out of time are named with their reason", () => {
  const pages = Array.from({ length: 9 }, () => "");
  // Pages 1-4 may be images (maxPages 4): 1 was made, 2 had no picture, 3-4 were not begun in time; 5-9 are past the limit.
  const blocks = pdfBlocks(extracted(pages, [image(1)], 3), limits);
  const notes = blocks.at(-1)!;
  assert.equal(notes.type, "text");
  const text = (notes as { text: string }).text;
  assert.match(
    text,
    /\[Page 2 of Document "Scan": no text layer and no embedded picture the gateway could send/,
  );
  assert.match(
    text,
    /\[Pages 5-9 of Document "Scan": no text layer; not sent as images: the gateway sends at most 4/,
  );
  assert.match(
    text,
    /\[Pages 3-4 of Document "Scan": no text layer; not sent as images: turning the pages into images ran out of time \(PDF_EXTRACT_TIMEOUT_MS\)\]/,
  );
  assert.equal(blocks.filter((block) => block.type === "image").length, 1);
});

Deno.test("out of time before the first page: no image, and the note says why", () => {
  const blocks = pdfBlocks(extracted(["", ""], [], 1), limits);
  assert.equal(blocks.filter((block) => block.type === "image").length, 0);
  assert.match(
    JSON.stringify(blocks),
    /Pages 1-2 of Document \\"Scan\\": no text layer; not sent as images: turning/,
  );
});

Deno.test("out of time at a decoded page: later pages already passed through keep their image", () => {
  // Page 4's JPEG went through unchanged in the first worker; decoding stopped at page 2 (pdf_text_in_worker.ts).
  const blocks = pdfBlocks(extracted(["", "", "", ""], [image(1), image(4)], 2), limits);
  assert.equal(blocks.filter((block) => block.type === "image").length, 2);
  const text = JSON.stringify(blocks);
  assert.match(text, /Pages 2-3 of Document \\"Scan\\": no text layer; not sent as images: turning/);
  assert.doesNotMatch(text, /Pages 2-4/);
});

Deno.test("no reader: the text and its scanned note, unchanged", () => {
  const blocks = pdfBlocks(extracted(["", "Typed"], undefined), undefined);
  assert.deepEqual(blocks, [{ type: "text", text: '[Document "Scan": text extracted]' }]);
});
