/**
 * The merged catalog as the gateway keeps it in memory and in KV: per service, the models available now with
 * their family, limits and capabilities. Built from models.dev (or the bundled snapshot) plus the live lists.
 */
import { modelsDevEntries, type ModelsDevProviders } from "./models_dev.ts";
import { applyCatalogQuirks, defaultQuirkCapabilities } from "./quirks.ts";
import type { CatalogData, CatalogEntry } from "./schema.ts";
import type { Service } from "./types.ts";

export interface BuildCatalogOptions {
  source: CatalogData["source"];
  fetchedAt: number;
  expiresAt: number;
  /** Model ids from each service's `GET /models`; undefined when that list could not be read. */
  live: Partial<Record<Service, string[]>>;
}

// Used when a live list names a model models.dev does not know yet: OpenCode's provider default (chat).
const unknownModelLimits = { context: 128_000, output: 16_384 };

/**
 * Metadata × live lists × quirks overlay → CatalogData. A model only in the live list gets the other service's
 * metadata if any; the overlay (quirks.ts) covers it too.
 */
export function buildCatalogData(providers: ModelsDevProviders, options: BuildCatalogOptions): CatalogData {
  const metadata = { go: modelsDevEntries(providers, "go"), zen: modelsDevEntries(providers, "zen") };
  const services = {
    go: mergeLive(metadata.go, options.live.go, metadata.zen, "go"),
    zen: mergeLive(metadata.zen, options.live.zen, metadata.go, "zen"),
  };
  return applyCatalogQuirks({
    version: 1,
    fetchedAt: options.fetchedAt,
    expiresAt: options.expiresAt,
    source: options.source,
    live: { go: options.live.go !== undefined, zen: options.live.zen !== undefined },
    services,
  });
}

function mergeLive(
  entries: CatalogEntry[],
  live: string[] | undefined,
  other: CatalogEntry[],
  service: Service,
): CatalogEntry[] {
  if (!live) return entries;
  const liveIds = new Set(live);
  const merged: CatalogEntry[] = entries
    .filter((entry) => liveIds.has(entry.id))
    .map((entry) => ({ ...entry, availability: "live" as const }));
  const known = new Set(entries.map((entry) => entry.id));
  for (const id of live) {
    if (known.has(id)) continue;
    const twin = other.find((entry) => entry.id === id);
    merged.push({
      id,
      name: twin?.name ?? id,
      // The family differs between services for some models (MiniMax), so it is never borrowed.
      family: "openai-chat",
      context: twin?.context ?? unknownModelLimits.context,
      output: twin?.output ?? unknownModelLimits.output,
      capabilities: twin?.capabilities ?? {
        reasoning: false,
        toolCall: true,
        image: false,
        pdf: false,
        interleavedField: service === "go" ? "reasoning_content" : null,
        efforts: null,
        temperature: true,
        ...defaultQuirkCapabilities,
      },
      created: twin?.created ?? 0,
      status: null,
      availability: "live-only",
    });
  }
  return merged;
}
