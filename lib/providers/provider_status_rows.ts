/** The status page's model table rows for the providers file's models (discovered ones show once used). */
import type { CatalogData } from "../catalog/schema.ts";
import type { Config } from "../config.ts";
import type { ModelRow } from "../status/status_snapshot.ts";
import { ProviderDiscovery } from "./discover_models.ts";
import { providerModels } from "./provider_catalog.ts";
import { providerModelFacts } from "./provider_model.ts";

// The page never waits on a provider's `GET /models`: only the file's own entries are listed.
const noDiscovery = new ProviderDiscovery({
  fetch: () => Promise.reject(new Error("not asked")),
  ttlMs: 1,
  now: Date.now,
  log: () => {},
});

export async function providerStatusRows(data: CatalogData, config: Config): Promise<ModelRow[]> {
  const configured = {
    ...config,
    providers: config.providers.map((provider) => ({ ...provider, discover: false })),
  };
  return (await providerModels({ data, config: configured, discovery: noDiscovery })).map(({ model }) => ({
    id: model.upstreamModel,
    service: model.service,
    ...providerModelFacts(model),
    inCatalog: true,
  }));
}
