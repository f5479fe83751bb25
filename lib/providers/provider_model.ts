/**
 * One configured (or discovered) provider model as the catalog serves it: limits and capabilities from the
 * model entry, else from models.dev metadata for the upstream id, else the safe defaults below
 * (docs/providers.md states them). Quirks follow the upstream id, so an OpenRouter `moonshotai/kimi-k2.6`
 * gets Kimi's tool-choice rules like Go's `kimi-k2.6`.
 */
import type { CatalogData, CatalogEntry } from "../catalog/schema.ts";
import { catalogQuirks, quirksFor } from "../catalog/quirks.ts";
import { findEntry } from "../catalog/resolve_model.ts";
import type { ResolvedModel } from "../catalog/types.ts";
import type { ProviderConfig, ProviderModelConfig } from "./provider_schema.ts";

/** What a provider model gets when neither its entry nor models.dev says otherwise. */
export const providerModelDefaults = {
  context: 32_768,
  output: 4_096,
  image: false,
  pdf: false,
  reasoning: false,
  toolCall: true,
} as const;

export interface ProviderModel {
  /** The client-facing id within the provider (`coder` of `local/coder`). */
  id: string;
  provider: ProviderConfig;
  /** `configured` (the file's `models`) or `discovered` (the provider's `GET /models`). */
  source: "configured" | "discovered";
  /** Without `requested` and `matchedBy`, which depend on how a client named it. */
  model: Omit<ResolvedModel, "requested" | "matchedBy">;
  /** Where limits and capabilities came from, for the status page and debugging. */
  metadata: "entry" | "models.dev" | "defaults";
}

// Provider rows in quirks.ts are OpenCode's; only the rows for every host apply to other providers.
const sharedQuirks = catalogQuirks.filter((row) => row.match.service === undefined);

/** models.dev metadata for an upstream id: exact, then without a vendor prefix or an Ollama `:tag`. */
export function metadataFor(data: CatalogData, upstreamId: string): CatalogEntry | undefined {
  const bare = upstreamId.slice(upstreamId.lastIndexOf("/") + 1);
  const candidates = new Set([upstreamId, bare, bare.replace(/:[^:]*$/, "")]);
  for (const id of candidates) {
    const entry = findEntry(data, "go", id) ?? findEntry(data, "zen", id);
    if (entry) return entry;
  }
  return undefined;
}

export function providerModel(
  provider: ProviderConfig,
  entry: ProviderModelConfig,
  data: CatalogData,
  source: ProviderModel["source"],
): ProviderModel {
  const upstreamId = entry.upstreamId ?? entry.id;
  const known = metadataFor(data, upstreamId);
  const base = known?.capabilities;
  const quirks = quirksFor("go", upstreamId.slice(upstreamId.lastIndexOf("/") + 1), sharedQuirks);
  const set = (Object.keys(entry) as (keyof ProviderModelConfig)[]).some((key) =>
    key !== "id" && key !== "upstreamId" && key !== "compactSystem"
  );
  return {
    id: entry.id,
    provider,
    source,
    metadata: set ? "entry" : known ? "models.dev" : "defaults",
    model: {
      service: provider.name,
      baseUrl: providerBaseUrl(provider, upstreamId),
      family: provider.format,
      upstreamModel: upstreamId,
      limits: {
        context: entry.context ?? known?.context ?? providerModelDefaults.context,
        output: entry.output ?? known?.output ?? providerModelDefaults.output,
      },
      capabilities: {
        reasoning: entry.reasoning ?? base?.reasoning ?? providerModelDefaults.reasoning,
        toolCall: entry.toolCall ?? base?.toolCall ?? providerModelDefaults.toolCall,
        image: entry.image ?? base?.image ?? providerModelDefaults.image,
        pdf: entry.pdf ?? base?.pdf ?? providerModelDefaults.pdf,
        interleavedField: entry.reasoningField ?? base?.interleavedField ?? null,
        efforts: base?.efforts ?? null,
        temperature: base?.temperature ?? true,
        toolChoiceWithThinking: quirks.toolChoiceWithThinking,
        thinkingAlwaysOn: quirks.thinkingAlwaysOn,
      },
      compactSystem: entry.compactSystem === true,
    },
  };
}

/**
 * The base URL the wire format appends its path to. Azure: chat goes to
 * `{endpoint}/openai/deployments/{deployment}` and Responses to `{endpoint}/openai`; the api-version query is
 * added when the request is sent (providerRequest).
 */
export function providerBaseUrl(provider: ProviderConfig, upstreamId: string): string {
  const base = provider.baseUrl.replace(/\/+$/, "");
  if (!provider.azure) return base;
  if (provider.format === "openai-responses") return `${base}/openai`;
  return `${base}/openai/deployments/${encodeURIComponent(provider.azure.deployment ?? upstreamId)}`;
}

/** What the `models` command and the status page show of a provider model, besides its names. */
export function providerModelFacts(model: ProviderModel["model"]) {
  return {
    family: model.family,
    context: model.limits.context,
    output: model.limits.output,
    images: model.capabilities.image,
    pdf: model.capabilities.pdf,
    reasoning: model.capabilities.reasoning,
    price: null,
  };
}
