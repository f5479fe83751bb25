/** `opencode-bridge models`: the configured providers' models as rows beside OpenCode's (`local/coder`). */
import { endpointByFamily } from "../catalog/endpoint_path.ts";
import type { CatalogData } from "../catalog/schema.ts";
import type { ModelRow } from "../cli/models_table.ts";
import type { Config } from "../config.ts";
import { ProviderDiscovery } from "./discover_models.ts";
import { providerModels } from "./provider_catalog.ts";
import { providerModelFacts } from "./provider_model.ts";

/** Offline: only the file's own models (discovery would ask each provider's `GET /models`). */
export async function providerModelRows(
  data: CatalogData,
  config: Config,
  options: { offline?: boolean; fetch?: typeof fetch } = {},
): Promise<ModelRow[]> {
  if (config.providers.length === 0) return [];
  const discovery = new ProviderDiscovery({
    fetch: options.offline ? () => Promise.reject(new Error("offline")) : options.fetch ?? globalThis.fetch,
    ttlMs: config.CATALOG_TTL_SECONDS * 1000,
    now: Date.now,
    log: () => {},
  });
  return (await providerModels({ data, config, discovery })).map(({ id, provider, model }) => ({
    id: `${provider.name}/${id}`,
    name: id,
    service: provider.name,
    endpoint: endpointByFamily[model.family],
    ...providerModelFacts(model),
    status: null,
  }));
}
