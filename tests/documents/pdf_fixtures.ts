/** Small PDFs made on the fly for tests (never real documents): text, scanned-looking, encrypted, corrupt. */
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";
import { encodeBase64 } from "../../lib/documents/base64.ts";

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
