/** A resolved gemini-family model for the unit tests, with capability overrides. */
import type { ResolvedModel } from "../../../lib/catalog/types.ts";
import { defaultQuirkCapabilities } from "../../../lib/catalog/quirks.ts";

export function geminiModel(capabilities: Partial<ResolvedModel["capabilities"]> = {}): ResolvedModel {
  return {
    requested: "gemini-3.1-pro",
    service: "zen",
    baseUrl: "https://up.test/zen/v1",
    family: "gemini",
    upstreamModel: "gemini-3.1-pro",
    limits: { context: 1_000_000, output: 65_536 },
    capabilities: {
      reasoning: true,
      toolCall: true,
      image: true,
      pdf: true,
      interleavedField: null,
      efforts: null,
      temperature: true,
      ...defaultQuirkCapabilities,
      ...capabilities,
    },
    matchedBy: "exact",
  };
}
