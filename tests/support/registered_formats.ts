/** The upstream formats in the registry that are implemented (placeholders throw "not implemented"). */
import fc from "fast-check";
import type { Family } from "../../lib/catalog/types.ts";
import { upstreamFormats } from "../../lib/formats/registry.ts";
import type { UpstreamCall, UpstreamFormat } from "../../lib/hub/wire_format.ts";
import { resolvedModelArbitrary } from "./hub_arbitraries.ts";

export function isPlaceholder(format: UpstreamFormat): boolean {
  const model = fc.sample(resolvedModelArbitrary(format.family), { numRuns: 1, seed: 1 })[0];
  const call: UpstreamCall = { model, apiKey: "k", sessionId: "s", clientHeaders: new Headers() };
  try {
    format.buildRequest({ model: "m", max_tokens: 1, messages: [{ role: "user", content: "hi" }] }, call);
    return false;
  } catch (error) {
    return /not implemented/i.test((error as Error).message);
  }
}

export const allFamilies = Object.keys(upstreamFormats) as Family[];

/** Families whose translators have landed; the property and fuzz tests cover exactly these. */
export const implementedFamilies: Family[] = allFamilies.filter((family) =>
  !isPlaceholder(upstreamFormats[family])
);
