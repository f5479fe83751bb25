/**
 * The listings an OpenAI client sees: the claude-looking aliases exist for Anthropic clients' discovery (Claude
 * Code and Desktop keep only ids containing "claude"); Codex and opencode would show every model twice.
 */
import { parseModelName } from "./model_names.ts";
import type { ModelListing } from "./types.ts";

/** Drops each gateway alias whose real id is listed too; one that is a model's only name here stays. */
export function realListings(listings: ModelListing[]): ModelListing[] {
  const listed = new Set(listings.map((listing) => `${listing.service}\n${listing.id}`));
  return listings.filter((listing) => {
    const form = parseModelName(listing.id);
    return form.matchedBy !== "gateway-alias" || !listed.has(`${form.service}\n${form.id}`);
  });
}
