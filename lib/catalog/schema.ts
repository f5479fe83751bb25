/** zod shapes of the catalog's own records (the resolved model is what routes and translators read). */
import { z } from "zod";

export const familySchema = z.enum(["openai-chat", "anthropic", "openai-responses", "gemini"]);
export const serviceSchema = z.enum(["go", "zen"]);

/** A forced or free tool_choice form as chat upstreams name it: `auto`, `required`, a named function. */
export const toolChoiceFormSchema = z.enum(["auto", "required", "named"]);

export const capabilitiesSchema = z.object({
  reasoning: z.boolean(),
  toolCall: z.boolean(),
  image: z.boolean(),
  pdf: z.boolean(),
  /** Assistant-message field that must carry reasoning on replay (models.dev `interleaved.field`), if any. */
  interleavedField: z.enum(["reasoning_content", "reasoning_details"]).nullable(),
  /** Reasoning efforts the upstream accepts (models.dev `reasoning_options` effort values), if listed. */
  efforts: z.array(z.string()).nullable(),
  temperature: z.boolean(),
  /**
   * tool_choice forms the upstream accepts while thinking (Kimi: only `auto`). Not in models.dev: set by the
   * catalog's quirks overlay (quirks.ts); all three when nothing is known, i.e. the client's choice is forwarded.
   */
  toolChoiceWithThinking: z.array(toolChoiceFormSchema),
  /** Thinking cannot be turned off: `thinking: {type:"disabled"}` is rejected or ignored (quirks.ts). */
  thinkingAlwaysOn: z.boolean(),
  /** Runs Anthropic's web_search / web_fetch server tools itself (quirks.ts); absent: the gateway emulates them. */
  serverTools: z.boolean().optional(),
});

export const resolvedModelSchema = z.object({
  /** Name as the client sent it (echoed in responses). */
  requested: z.string(),
  /** `go`, `zen`, or the name of a configured provider (CONFIG_FILE `providers`). */
  service: z.string(),
  baseUrl: z.string(),
  family: familySchema,
  upstreamModel: z.string(),
  limits: z.object({ context: z.number().int().positive(), output: z.number().int().positive() }),
  capabilities: capabilitiesSchema,
  /** How the name matched: exact, prefix, alias, claude-alias, zen-fallback, path… (for logs and headers). */
  matchedBy: z.string(),
  /** Compact Claude Code's system prompt before sending (a provider model's `compactSystem`). */
  compactSystem: z.boolean().optional(),
});

/** One model as the merged catalog keeps it (catalog_data.ts builds these). */
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
