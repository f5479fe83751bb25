/** A resolved responses-family model for the unit tests, with capability overrides. */
import type { ResolvedModel } from "../../../lib/catalog/types.ts";
import { defaultQuirkCapabilities } from "../../../lib/catalog/quirks.ts";

export function responsesModel(capabilities: Partial<ResolvedModel["capabilities"]> = {}): ResolvedModel {
  return {
    requested: "gpt-5.5",
    service: "zen",
    baseUrl: "https://up.test/zen/v1/",
    family: "openai-responses",
    upstreamModel: "gpt-5.5",
    limits: { context: 400_000, output: 128_000 },
    capabilities: {
      reasoning: true,
      toolCall: true,
      image: true,
      pdf: true,
      interleavedField: null,
      efforts: null,
      temperature: false,
      ...defaultQuirkCapabilities,
      ...capabilities,
    },
    matchedBy: "exact",
  };
}
