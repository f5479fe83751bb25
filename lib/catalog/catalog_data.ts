/**
 * The merged catalog as the gateway keeps it in memory and in KV: per service, the models available now with
 * their family, limits and capabilities. Built from models.dev (or the bundled snapshot) plus the live lists.
 */
import { z } from "zod";
import { modelsDevEntries, type ModelsDevProviders } from "./models_dev.ts";
import { applyCatalogQuirks, defaultQuirkCapabilities } from "./quirks.ts";
import { capabilitiesSchema, familySchema } from "./schema.ts";
import type { Service } from "./types.ts";

export const catalogEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  family: familySchema,
  context: z.number().int().positive(),
  output: z.number().int().positive(),
  capabilities: capabilitiesSchema,
  /** Unix seconds (models.dev `release_date`; 0 when unknown). */
  created: z.number().int(),
  status: z.string().nullable(),
  /** USD per million tokens (models.dev `cost`); absent in copies written before it was recorded. */
  cost: z.object({ input: z.number(), output: z.number(), cacheRead: z.number().nullable() }).nullish(),
  /** `live`: in the service's `GET /models`; `metadata`: no live list was available; `live-only`: no metadata. */
  availability: z.enum(["live", "metadata", "live-only"]),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

export const catalogDataSchema = z.object({
  version: z.literal(1),
  /** Epoch milliseconds. */
  fetchedAt: z.number(),
  /** After this the copy is stale: still served, but a refresh is started. */
  expiresAt: z.number(),
  /** Where the model metadata came from. */
  source: z.enum(["models.dev", "snapshot"]),
  /** Whether each service's live list was merged in. */
  live: z.object({ go: z.boolean(), zen: z.boolean() }),
  services: z.object({ go: z.array(catalogEntrySchema), zen: z.array(catalogEntrySchema) }),
});
export type CatalogData = z.infer<typeof catalogDataSchema>;

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
