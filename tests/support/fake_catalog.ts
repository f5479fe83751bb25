/** A catalog over a fixed list of models, for tests that are not about resolution. */
import { quirksFor, type ToolChoiceForm } from "../../lib/catalog/quirks.ts";
import type { Catalog, Family, ResolvedModel, Service } from "../../lib/catalog/types.ts";
import { GatewayError } from "../../lib/errors/gateway_error.ts";

export interface FakeModel {
  id: string;
  family: Family;
  service?: Service;
  context?: number;
  output?: number;
  reasoning?: boolean;
  image?: boolean;
  /** Accepts PDF input (the documents path keeps PDFs native). */
  pdf?: boolean;
  interleavedField?: "reasoning_content" | "reasoning_details" | null;
  /** Default: what the real catalog's quirks overlay gives this id (all forms unless the id is a Kimi). */
  toolChoiceWithThinking?: ToolChoiceForm[];
  thinkingAlwaysOn?: boolean;
}

/** `baseUrls` are where the fake upstreams listen (`http://127.0.0.1:<port>`). */
export function fakeCatalog(models: FakeModel[], baseUrls: { go: string; zen?: string }): Catalog {
  const resolved = (model: FakeModel, requested: string): ResolvedModel => {
    const quirks = quirksFor(model.service ?? "go", model.id);
    return {
      requested,
      service: model.service ?? "go",
      baseUrl: model.service === "zen" ? baseUrls.zen ?? baseUrls.go : baseUrls.go,
      family: model.family,
      upstreamModel: model.id,
      limits: { context: model.context ?? 262_144, output: model.output ?? 65_536 },
      capabilities: {
        reasoning: model.reasoning ?? true,
        toolCall: true,
        image: model.image ?? false,
        pdf: model.pdf ?? false,
        interleavedField: model.interleavedField === undefined ? "reasoning_content" : model.interleavedField,
        efforts: null,
        temperature: true,
        toolChoiceWithThinking: model.toolChoiceWithThinking ?? quirks.toolChoiceWithThinking,
        thinkingAlwaysOn: model.thinkingAlwaysOn ?? quirks.thinkingAlwaysOn,
        serverTools: quirks.serverTools,
      },
      matchedBy: "exact",
    };
  };
  return {
    resolve(name) {
      const model = models.find((candidate) => candidate.id === name);
      if (!model) return Promise.reject(new GatewayError("not_found_error", `Unknown model: ${name}`));
      return Promise.resolve(resolved(model, name));
    },
    list: () =>
      Promise.resolve(models.map((model) => ({
        id: model.id,
        displayName: model.id,
        service: model.service ?? "go",
        family: model.family,
        created: 0,
      }))),
  };
}
