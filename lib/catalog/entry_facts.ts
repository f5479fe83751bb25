/** What the `models` command and the status page show of a catalog model, besides its names. */
import type { CatalogEntry } from "./schema.ts";

export function catalogEntryFacts(entry: CatalogEntry) {
  return {
    family: entry.family,
    context: entry.context,
    output: entry.output,
    images: entry.capabilities.image,
    pdf: entry.capabilities.pdf,
    reasoning: entry.capabilities.reasoning,
    price: entry.cost ?? null,
  };
}
