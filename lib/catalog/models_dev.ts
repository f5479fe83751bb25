/**
 * models.dev `api.json` → catalog entries. Only the fields the gateway reads are validated (loosely); one bad
 * model is skipped instead of failing the whole provider.
 */
import { z } from "zod";
import type { CatalogEntry } from "./schema.ts";
import { defaultQuirkCapabilities } from "./quirks.ts";
import type { Family, Service } from "./types.ts";

/** models.dev provider ids for each OpenCode service. */
export const providerIdByService: Record<Service, string> = { go: "opencode-go", zen: "opencode" };

const modelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  reasoning: z.boolean().nullish(),
  tool_call: z.boolean().nullish(),
  temperature: z.boolean().nullish(),
  reasoning_options: z.array(z.looseObject({ type: z.string(), values: z.array(z.string()).nullish() }))
    .nullish(),
  interleaved: z.union([
    z.boolean(),
    z.looseObject({ field: z.string().nullish() }),
  ]).nullish(),
  release_date: z.string().nullish(),
  modalities: z.looseObject({ input: z.array(z.string()).nullish() }).nullish(),
  limit: z.looseObject({ context: z.number().positive(), output: z.number().positive() }),
  status: z.string().nullish(),
  cost: z.looseObject({ input: z.number(), output: z.number(), cache_read: z.number().nullish() }).nullish(),
  provider: z.looseObject({ npm: z.string().nullish() }).nullish(),
});

const providerSchema = z.looseObject({
  npm: z.string().nullish(),
  models: z.record(z.string(), z.unknown()),
});

/** The two providers the gateway needs, as found in (or filtered from) models.dev's api.json. */
export type ModelsDevProviders = Record<"opencode-go" | "opencode", z.infer<typeof providerSchema>>;

/** Throws when either OpenCode provider is missing or malformed. */
export function parseModelsDevProviders(json: unknown): ModelsDevProviders {
  const root = z.looseObject({ "opencode-go": providerSchema, opencode: providerSchema }).parse(json);
  return { "opencode-go": root["opencode-go"], opencode: root.opencode };
}

// models.dev encodes the endpoint family as the AI SDK package that would talk to it.
const familyByNpm: Record<string, Family> = {
  "@ai-sdk/openai-compatible": "openai-chat",
  "@ai-sdk/anthropic": "anthropic",
  "@ai-sdk/openai": "openai-responses",
  "@ai-sdk/google": "gemini",
};

export function mapNpmToFamily(npm: string | null | undefined): Family | undefined {
  return familyByNpm[npm ?? "@ai-sdk/openai-compatible"];
}

/** Entries for one service; models with an unknown SDK package or malformed fields are left out. */
export function modelsDevEntries(providers: ModelsDevProviders, service: Service): CatalogEntry[] {
  const provider = providers[providerIdByService[service] as keyof ModelsDevProviders];
  const entries: CatalogEntry[] = [];
  for (const [key, raw] of Object.entries(provider.models)) {
    const parsed = modelSchema.safeParse(raw);
    if (!parsed.success) continue;
    const model = parsed.data;
    const family = mapNpmToFamily(model.provider?.npm ?? provider.npm);
    if (!family) continue;
    const input = model.modalities?.input ?? ["text"];
    const interleaved = model.interleaved;
    const field = typeof interleaved === "object" && interleaved !== null ? interleaved.field : undefined;
    const efforts = model.reasoning_options?.find((option) => option.type === "effort")?.values ?? null;
    const released = model.release_date ? Date.parse(model.release_date) : NaN;
    entries.push({
      id: key,
      name: model.name ?? key,
      family,
      context: Math.floor(model.limit.context),
      output: Math.floor(model.limit.output),
      capabilities: {
        reasoning: model.reasoning ?? false,
        toolCall: model.tool_call ?? true,
        image: input.includes("image"),
        pdf: input.includes("pdf"),
        interleavedField: field === "reasoning_content" || field === "reasoning_details" ? field : null,
        efforts: efforts && efforts.length > 0 ? efforts : null,
        temperature: model.temperature ?? true,
        // models.dev has no such fields; buildCatalogData overlays quirks.ts on these defaults.
        ...defaultQuirkCapabilities,
      },
      created: Number.isFinite(released) ? Math.floor(released / 1000) : 0,
      status: model.status ?? null,
      cost: model.cost
        ? { input: model.cost.input, output: model.cost.output, cacheRead: model.cost.cache_read ?? null }
        : null,
      availability: "metadata",
    });
  }
  return entries;
}
