/** A resolved openai-chat model for translator tests; capabilities default to a Kimi-like thinking model. */
import type { ResolvedModel } from "../../../lib/catalog/types.ts";

export function chatModel(capabilities: Partial<ResolvedModel["capabilities"]> = {}): ResolvedModel {
  return {
    requested: "kimi-k2.6",
    service: "go",
    baseUrl: "https://opencode.example/zen/go/v1/",
    family: "openai-chat",
    upstreamModel: "kimi-k2.6",
    limits: { context: 262_144, output: 65_536 },
    capabilities: {
      reasoning: true,
      toolCall: true,
      image: true,
      pdf: false,
      interleavedField: "reasoning_content",
      efforts: null,
      temperature: true,
      // Kimi K2.6's catalog quirks: no forced tool choice while thinking, thinking can be turned off.
      toolChoiceWithThinking: ["auto"],
      thinkingAlwaysOn: false,
      ...capabilities,
    },
    matchedBy: "exact",
  };
}
