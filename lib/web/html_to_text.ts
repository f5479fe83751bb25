/** An HTML page as readable plain text for a model: no scripts, styles, navigation chrome or images. */
import { convert } from "html-to-text";

export function htmlToText(html: string): { title: string | null; text: string } {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() || null;
  const text = convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "nav", format: "skip" },
      { selector: "footer", format: "skip" },
      { selector: "script", format: "skip" },
      { selector: "style", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
      { selector: "h1", options: { uppercase: false } },
      { selector: "h2", options: { uppercase: false } },
      { selector: "h3", options: { uppercase: false } },
      { selector: "table", format: "dataTable" },
    ],
  });
  return { title: title ? decodeEntities(title) : null, text: text.replace(/\n{3,}/g, "\n\n").trim() };
}

function decodeEntities(text: string): string {
  return convert(text, { wordwrap: false });
}
