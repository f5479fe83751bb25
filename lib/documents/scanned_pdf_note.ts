/**
 * What a model is told about pages with no text layer (a scan) when it gets no image of them: either nothing
 * would read images (the model takes none and the catalog has no vision model the gateway re-routes image
 * requests to, routes/fit_request.ts), or the pages hold no embedded image to send (drawn, not scanned: a true
 * render would need a canvas).
 */
export const SCANNED_NOTE =
  "[This PDF has no text layer (it looks scanned); its pages are images that this model cannot read.]";

export const NO_PAGE_IMAGE_NOTE =
  "[This PDF has no text layer and its pages hold no embedded images (they are drawn, not scanned): the gateway cannot turn them into text or page images.]";
