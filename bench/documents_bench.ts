/**
 * Cost of the documents path and the fetcher's HTML conversion: a 20-page PDF's text extraction (what a
 * text-only model gets instead of the PDF) and a 100 kB HTML page turned into readable text.
 */
import { PDFDocument, StandardFonts } from "pdf-lib";
import { pdfText } from "../lib/documents/pdf_text.ts";
import { htmlToText } from "../lib/web/html_to_text.ts";

const doc = await PDFDocument.create();
const font = await doc.embedFont(StandardFonts.Helvetica);
for (let page = 0; page < 20; page++) {
  const sheet = doc.addPage();
  for (let line = 0; line < 40; line++) {
    sheet.drawText(`Page ${page + 1}, line ${line + 1}: quarterly figures and notes`, {
      x: 40,
      y: 780 - line * 18,
      font,
      size: 10,
    });
  }
}
const pdf = await doc.save();
const limits = { maxPages: 100, maxBytes: 32 * 1024 * 1024 };

const paragraph = "<p>Deno 2.6 adds a package manager UI, <a href='/x'>links</a> and <b>more</b>.</p>";
const html = `<html><head><title>Notes</title><script>var x=1;</script></head><body><nav>menu</nav>${
  paragraph.repeat(1_200)
}</body></html>`;

Deno.bench("pdfText: 20-page PDF to text with page markers", async () => {
  await pdfText(pdf, limits, "bench");
});

Deno.bench(`htmlToText: ${Math.round(html.length / 1024)} kB page to readable text`, () => {
  htmlToText(html);
});
