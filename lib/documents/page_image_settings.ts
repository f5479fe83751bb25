/**
 * Settings of scanned PDFs' page images (lib/documents/page_images.ts, docs/web-tools.md); spread into the one
 * config schema in lib/config.ts.
 */
import { positiveInt } from "../setting_types.ts";

export const pageImageSettings = {
  PDF_IMAGE_MAX_PAGES: positiveInt.default(20).describe(
    "Most pages without a text layer (scans) sent as page images per PDF, to a model that reads images or to the vision model; later ones are named in a note.",
  ),
  PDF_IMAGE_MAX_EDGE: positiveInt.default(1568).describe(
    "Longest edge in pixels of a scanned page's image: larger scans are scaled down (Anthropic's recommended size).",
  ),
  PDF_IMAGE_CONCURRENCY: positiveInt.default(1).describe(
    "PDFs whose scanned pages are turned into images at once (one 300-dpi scan peaks at about +215 MiB RSS); others wait their turn.",
  ),
  PDF_IMAGE_MAX_BYTES: positiveInt.default(3_750_000).describe(
    "Largest scanned page image (3.75 MB: 5 MB as base64, upstreams' usual per-image limit); a larger one is scaled down further.",
  ),
};
