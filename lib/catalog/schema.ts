/** zod shapes of the catalog's own records (the resolved model is what routes and translators read). */
import { z } from "zod";

export const familySchema = z.enum(["openai-chat", "anthropic", "openai-responses", "gemini"]);
export const serviceSchema = z.enum(["go", "zen"]);

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
});

export const resolvedModelSchema = z.object({
  /** Name as the client sent it (echoed in responses). */
  requested: z.string(),
  service: serviceSchema,
  baseUrl: z.string(),
  family: familySchema,
  upstreamModel: z.string(),
  limits: z.object({ context: z.number().int().positive(), output: z.number().int().positive() }),
  capabilities: capabilitiesSchema,
  /** How the name matched: exact, prefix, alias, claude-alias, zen-fallback, path… (for logs and headers). */
  matchedBy: z.string(),
});
