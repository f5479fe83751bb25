/**
 * What a model is told about a PDF with no text layer (a scan). When images would get the pages read — the model
 * itself takes images, or the catalog has a vision model the gateway re-routes image requests to
 * (routes/fit_request.ts) — the note says so and names that model, so the answer can tell the user what to do.
 */
export const SCANNED_NOTE =
  "[This PDF has no text layer (it looks scanned); its pages are images that this model cannot read.]";

export function scannedPdfNote(reader: { self: true } | { vision: string } | undefined): string {
  if (reader === undefined) return SCANNED_NOTE;
  const how = "self" in reader
    ? "This model does read images: sent as images (screenshots of the pages), they can be read"
    : `Sent as images (screenshots of the pages), they would be read: the gateway routes requests with images to its vision model ${reader.vision}`;
  return `[This PDF has no text layer (it looks scanned); the gateway cannot turn its pages into text. ${how}.]`;
}
