/**
 * A PDF turned into what a model without PDF input reads: its text with page markers, and — when page images
 * were asked for because something reads images — each page with no text layer as a short text marker (title,
 * "page n of N", "scanned: page image") followed by the hub `image` block. Pages past PDF_IMAGE_MAX_PAGES and
 * pages with no embedded image are named in notes, so the model can say what it did not see.
 */
import type { HubContentBlock } from "../hub/schema.ts";
import type { ImageLimits } from "./page_images.ts";
import type { PdfText } from "./pdf_text.ts";
import { NO_PAGE_IMAGE_NOTE, SCANNED_NOTE } from "./scanned_pdf_note.ts";

export type PdfBlock = HubContentBlock & { type: "text" | "image" };

/** "3, 5-9, 12" */
function ranges(pages: number[]): string {
  const parts: string[] = [];
  for (let index = 0; index < pages.length; index++) {
    const start = pages[index];
    while (pages[index + 1] === pages[index] + 1) index++;
    parts.push(start === pages[index] ? `${start}` : `${start}-${pages[index]}`);
  }
  return parts.join(", ");
}

export function pdfBlocks(extracted: PdfText, imageLimits: ImageLimits | undefined): PdfBlock[] {
  const { title, pages, pageTexts, images, imagesStoppedAt } = extracted;
  const textless = pageTexts.flatMap((text, index) => text === "" ? [index + 1] : []);
  if (textless.length === 0) return [{ type: "text", text: extracted.text }];
  if (!imageLimits || (!images?.length && imagesStoppedAt === undefined)) {
    const note = imageLimits ? NO_PAGE_IMAGE_NOTE : SCANNED_NOTE;
    return [{ type: "text", text: extracted.text.replace(SCANNED_NOTE, note) }];
  }
  const name = title ? `Document "${title}"` : "PDF document";
  const blocks: PdfBlock[] = [];
  let buffer = `[${name}, ${pages} page${pages === 1 ? "" : "s"}: ${
    textless.length === pages ? "scanned, no text layer" : "text extracted from the PDF by the gateway"
  }; pages without a text layer follow as page images]`;
  const flush = () => {
    if (buffer) blocks.push({ type: "text", text: buffer });
    buffer = "";
  };
  const byPage = new Map((images ?? []).map((image) => [image.page, image]));
  const imageless: number[] = [];
  const leftOut = textless.slice(imageLimits.maxPages);
  const late = textless.slice(0, imageLimits.maxPages).filter((page) =>
    page >= (imagesStoppedAt ?? Infinity) && !byPage.has(page)
  );
  pageTexts.forEach((text, index) => {
    const page = index + 1;
    const image = byPage.get(page);
    if (text !== "") buffer += `${buffer ? "\n\n" : ""}--- Page ${page} ---\n${text}`;
    else if (image) {
      flush();
      blocks.push({ type: "text", text: `[${name}, page ${page} of ${pages}, scanned: page image]` });
      blocks.push({
        type: "image",
        source: { type: "base64", media_type: image.mediaType, data: image.data },
      });
    } else if (!leftOut.includes(page) && !late.includes(page)) imageless.push(page);
  });
  const notes = [
    imageless.length > 0 &&
    `[Page${imageless.length === 1 ? "" : "s"} ${
      ranges(imageless)
    } of ${name}: no text layer and no embedded picture the gateway could send (drawn, not scanned)]`,
    leftOut.length > 0 &&
    `[Page${leftOut.length === 1 ? "" : "s"} ${ranges(leftOut)} of ${name}: no text layer; not sent as ${
      leftOut.length === 1 ? "an image" : "images"
    }: the gateway sends at most ${imageLimits.maxPages} page images per PDF (PDF_IMAGE_MAX_PAGES)]`,
    late.length > 0 &&
    `[Page${late.length === 1 ? "" : "s"} ${ranges(late)} of ${name}: no text layer; not sent as ${
      late.length === 1 ? "an image" : "images"
    }: turning the pages into images ran out of time (PDF_EXTRACT_TIMEOUT_MS)]`,
  ].filter((note): note is string => typeof note === "string");
  if (notes.length > 0) buffer += `${buffer ? "\n\n" : ""}${notes.join("\n")}`;
  flush();
  return blocks;
}
