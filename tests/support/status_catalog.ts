/** A fake catalog that also hands out CatalogData, as the real one does for the status page's model table. */
import type { CatalogData, CatalogEntry } from "../../lib/catalog/schema.ts";
import type { Catalog } from "../../lib/catalog/types.ts";
import { fakeCatalog, type FakeModel } from "./fake_catalog.ts";

export interface StatusModel extends FakeModel {
  price?: { input: number; output: number; cacheRead: number | null };
}

export function statusCatalog(
  models: StatusModel[],
  baseUrls: { go: string; zen?: string },
  fetchedAt = Date.now() - 90_000,
): Catalog & { data(): Promise<CatalogData> } {
  const entry = (model: StatusModel): CatalogEntry => ({
    id: model.id,
    name: model.id,
    family: model.family,
    context: model.context ?? 262_144,
    output: model.output ?? 65_536,
    capabilities: {
      reasoning: model.reasoning ?? true,
      toolCall: true,
      image: model.image ?? false,
      pdf: false,
      interleavedField: null,
      efforts: null,
      temperature: true,
      toolChoiceWithThinking: ["auto", "required", "named"],
      thinkingAlwaysOn: false,
    },
    created: 0,
    status: null,
    cost: model.price ?? null,
    availability: "live",
  });
  const data: CatalogData = {
    version: 1,
    fetchedAt,
    expiresAt: fetchedAt + 3_600_000,
    source: "models.dev",
    live: { go: true, zen: false },
    services: {
      go: models.filter((model) => (model.service ?? "go") === "go").map(entry),
      zen: models.filter((model) => model.service === "zen").map(entry),
    },
  };
  return { ...fakeCatalog(models, baseUrls), data: () => Promise.resolve(data) };
}
