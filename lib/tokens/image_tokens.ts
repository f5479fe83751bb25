/** Anthropic's image rule: tokens ≈ width × height / 750, after the image is scaled to fit its limits. */
import { imageSizeFromBase64 } from "./image_size.ts";

/** Used when the size cannot be read (URL and file sources, unknown formats): about a full-size image. */
export const fallbackImageTokens = 1_600;

// Anthropic scales images down until the long edge is ≤ 1568 px and the image is ≤ ~1,600 tokens.
const maxEdge = 1568;
const maxPixels = 1_600 * 750;

export function imageTokensForSize(width: number, height: number): number {
  const scale = Math.min(1, maxEdge / Math.max(width, height), Math.sqrt(maxPixels / (width * height)));
  return Math.max(1, Math.ceil((Math.floor(width * scale) * Math.floor(height * scale)) / 750));
}

export function imageTokensForSource(source: { type: string; data?: unknown }): number {
  if (source.type !== "base64" || typeof source.data !== "string") return fallbackImageTokens;
  const size = imageSizeFromBase64(source.data);
  return size ? imageTokensForSize(size.width, size.height) : fallbackImageTokens;
}
