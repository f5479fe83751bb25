/**
 * Small PDFs made on the fly for tests (never real documents): text, drawn-only, scanned (JPEG and PNG page
 * pictures), encrypted, corrupt.
 */
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";
import jpeg from "jpeg-js";
import { encodeBase64 } from "../../lib/documents/base64.ts";
import { encodePng } from "../../lib/documents/png_encode.ts";

export async function textPdf(pages: string[], title = "Fixture"): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) doc.addPage().drawText(text, { x: 50, y: 700, font, size: 12 });
  doc.setTitle(title);
  return await doc.save();
}

/** Pages with only drawn shapes: no text layer, like a scan. */
export async function scannedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawRectangle({ x: 50, y: 50, width: 200, height: 300, color: rgb(0.2, 0.2, 0.2) });
  return await doc.save();
}

/** A PDF whose trailer names a Standard security handler with a user password: it cannot be opened. */
export function encryptedPdf(): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    `<< /Filter /Standard /V 1 /R 2 /O <${"11".repeat(32)}> /U <${"22".repeat(32)}> /P -4 >>`,
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  const id = "ab".repeat(16);
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${id}> <${id}>] >>\n` +
    `startxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

export const corruptPdf = (): Uint8Array => new TextEncoder().encode("%PDF-1.7\nthis is not a PDF body");

export function pdfBlock(bytes: Uint8Array, title?: string) {
  return {
    type: "document" as const,
    source: { type: "base64" as const, media_type: "application/pdf" as const, data: encodeBase64(bytes) },
    ...(title ? { title } : {}),
  };
}

/** A long PDF with a full page of distinct text on every page: pdf.js's text extraction at its heaviest. */
export async function densePdf(pages: number, linesPerPage = 50): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= pages; page++) {
    const lines = Array.from(
      { length: linesPerPage },
      (_, line) =>
        `Page ${page} line ${line}: the quick brown fox ${page * 997 + line} jumps over the lazy dog`,
    );
    doc.addPage().drawText(lines.join("\n"), { x: 40, y: 760, font, size: 9, lineHeight: 14 });
  }
  doc.setTitle("Dense");
  return await doc.save();
}

/** One page of a generated scan: an embedded JPEG or PNG picture of the page, text drawn over it, or both. */
export interface ScanPage {
  image?: "jpeg" | "png";
  /** Pixels of the picture (default 800 x 1000). */
  width?: number;
  height?: number;
  /** In colour (a red stamp) rather than grey paper. */
  colour?: boolean;
  /** A text layer on the page. */
  text?: string;
}

/**
 * A page-like picture: light paper, dark "lines of text", and a 64-px block at the top left whose grey level
 * is `20 * n`, so a test can tell which page an image came from after scaling and compression.
 */
export function pagePixels(
  n: number,
  width: number,
  height: number,
  colour = false,
  grain = false,
): Uint8Array {
  const pixels = new Uint8Array(width * height * 4);
  let seed = n;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      // Paper grain, as a real scanner sees it: what makes scans compress far worse than flat colour.
      seed = (seed * 1103515245 + 12345) >>> 0;
      let value = grain ? 225 + (seed >>> 24) % 21 : 235;
      if (x < 64 && y < 64) value = 20 * n;
      else if (y % 40 < 12 && x > 60 && x < width - 60) value = 40;
      const stamp = colour && x > width - 200 && y > height - 200;
      pixels[at] = stamp ? 200 : value;
      pixels[at + 1] = stamp ? 30 : value;
      pixels[at + 2] = stamp ? 30 : value;
      pixels[at + 3] = 255;
    }
  }
  return pixels;
}

/** The page's picture as a JPEG (jpeg-js, quality 80): the bytes a passed-through page image must equal. */
export function pageJpeg(n: number, width = 800, height = 1000, colour = false, grain = false): Uint8Array {
  const pixels = pagePixels(n, width, height, colour, grain);
  return new Uint8Array(jpeg.encode({ data: pixels, width, height }, 80).data);
}

function pagePng(
  n: number,
  width: number,
  height: number,
  colour: boolean,
  grain = false,
): Promise<Uint8Array> {
  const rgba = pagePixels(n, width, height, colour, grain);
  const pixels = new Uint8Array(width * height * 3);
  for (let index = 0; index < width * height; index++) {
    pixels.set(rgba.subarray(index * 4, index * 4 + 3), index * 3);
  }
  return encodePng({ width, height, channels: 3, pixels });
}

export async function scanPdf(pages: ScanPage[], title = "Scan"): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const [index, page] of pages.entries()) {
    const sheet = doc.addPage([612, 792]);
    const { width = 800, height = 1000, colour = false } = page;
    if (page.image) {
      const image = page.image === "jpeg"
        ? await doc.embedJpg(pageJpeg(index + 1, width, height, colour))
        : await doc.embedPng(await pagePng(index + 1, width, height, colour));
      sheet.drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
    }
    if (page.text) sheet.drawText(page.text, { x: 50, y: 700, font, size: 12 });
  }
  doc.setTitle(title);
  return await doc.save();
}

/** `pages` pages, each its own XObject holding the same picture (cheap to make: one JPEG or PNG encode). */
export async function repeatedScanPdf(
  pages: number,
  picture: { jpeg: Uint8Array } | { png: Uint8Array },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let page = 0; page < pages; page++) {
    const image = "jpeg" in picture ? await doc.embedJpg(picture.jpeg) : await doc.embedPng(picture.png);
    doc.addPage([612, 792]).drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
  }
  doc.setTitle("Repeated scan");
  return await doc.save();
}

/** The page picture as a PNG (RGB), for PDFs whose scans are Flate-compressed. */
export function pagePngBytes(n: number, width: number, height: number, grain = false): Promise<Uint8Array> {
  return pagePng(n, width, height, false, grain);
}
