/**
 * The `providers` array of CONFIG_FILE: services beside OpenCode (OpenRouter, Ollama, LM Studio, Azure…), each
 * with its own URL, wire format, key, headers and models. Strict objects, so a misspelt field is an error that
 * names it instead of a setting silently ignored.
 */
import { z } from "zod";
import { familySchema } from "../catalog/schema.ts";

/** Names a provider may not take: the OpenCode services and the first segments of the gateway's own paths. */
export const reservedProviderNames = ["go", "zen", "v1", "api", "opencode", "opencode-go"] as const;

/** Upstream headers a configured header may never set: credentials, and what the gateway computes itself. */
export const protectedHeaderNames = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
  "cookie",
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
]);

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Extra upstream headers: `{ "X-Title": "my-gateway" }`. */
export const headersSchema = z.record(z.string(), z.string()).superRefine((headers, context) => {
  for (const [name, value] of Object.entries(headers)) {
    if (!headerName.test(name)) {
      context.addIssue({ code: "custom", path: [name], message: `"${name}" is not a valid header name` });
    } else if (protectedHeaderNames.has(name.toLowerCase())) {
      context.addIssue({
        code: "custom",
        path: [name],
        message: `"${name}" cannot be set here: the gateway sets it (keys go in apiKey)`,
      });
    }
    if (/[\r\n\0]/.test(value)) {
      context.addIssue({
        code: "custom",
        path: [name],
        message: "a header value cannot contain line breaks",
      });
    }
  }
});

const positiveInt = z.number({ error: "expected a number" }).int("expected a whole number").positive(
  "expected a positive number",
);

export const providerModelSchema = z.strictObject({
  id: z.string().min(1).regex(/^\S+$/, "must not contain spaces").describe(
    "The name clients use: `<provider>/<id>` always, the bare id when no other provider serves it",
  ),
  upstreamId: z.string().min(1).optional().describe("The id sent upstream (default: id)"),
  context: positiveInt.optional().describe("Context window in tokens"),
  output: positiveInt.optional().describe("Most output tokens per answer"),
  image: z.boolean().optional().describe("Accepts image input (else images go to VISION_MODEL)"),
  pdf: z.boolean().optional().describe("Accepts PDF documents"),
  reasoning: z.boolean().optional().describe("Produces reasoning (thinking)"),
  toolCall: z.boolean().optional().describe("Supports tool calls (default true)"),
  reasoningField: z.enum(["reasoning_content", "reasoning_details"]).optional().describe(
    "Assistant-message field that must carry earlier reasoning on replay (chat format)",
  ),
  compactSystem: z.boolean().optional().describe(
    "Compact Claude Code's system prompt for this model (drop examples and repeated guidance)",
  ),
});

export const azureSchema = z.strictObject({
  apiVersion: z.string().min(1).describe("Azure's `api-version` query parameter, e.g. 2024-10-21"),
  deployment: z.string().min(1).optional().describe(
    "Deployment name in the URL (chat format); default: the model's upstreamId",
  ),
});

const nameSchema = z.string().regex(
  /^[a-z0-9][a-z0-9_.-]*$/i,
  "must be letters, digits, '-', '_' or '.' (it becomes a route prefix)",
).refine(
  (name) => !(reservedProviderNames as readonly string[]).includes(name.toLowerCase()),
  { message: `is reserved (${reservedProviderNames.join(", ")} name the gateway's own services and paths)` },
);

export const providerSchema = z.strictObject({
  name: nameSchema.describe("Route prefix /<name>/v1/… and model names <name>/<id>"),
  baseUrl: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).describe(
    "Where the API lives, up to and including its version path (http://127.0.0.1:11434/v1)",
  ),
  format: familySchema.describe("Wire format the provider speaks"),
  apiKey: z.string().min(1).optional().describe(
    'A literal key, "env:NAME" (read at startup), or omitted: the client\'s own key is passed on',
  ),
  headers: headersSchema.default({}).describe("Extra upstream headers; never overrides auth"),
  discover: z.boolean().default(false).describe("Also serve what GET {baseUrl}/models lists"),
  models: z.array(providerModelSchema).default([]).describe("The models clients may name"),
  azure: azureSchema.optional().describe("Azure OpenAI: Azure's URL form and its `api-key` header"),
}).superRefine((provider, context) => {
  const seen = new Set<string>();
  provider.models.forEach((model, index) => {
    const key = model.id.toLowerCase();
    if (seen.has(key)) {
      context.addIssue({
        code: "custom",
        path: ["models", index, "id"],
        message: `"${model.id}" is listed twice`,
      });
    }
    seen.add(key);
  });
  if (provider.models.length === 0 && !provider.discover) {
    context.addIssue({
      code: "custom",
      path: ["models"],
      message: "lists no models and discover is off: the provider would serve nothing",
    });
  }
  if (provider.azure && provider.format !== "openai-chat" && provider.format !== "openai-responses") {
    context.addIssue({
      code: "custom",
      path: ["azure"],
      message: `Azure serves openai-chat and openai-responses, not ${provider.format}`,
    });
  }
});

export const providersSchema = z.array(providerSchema).superRefine((providers, context) => {
  const seen = new Map<string, number>();
  providers.forEach((provider, index) => {
    const key = provider.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      context.addIssue({
        code: "custom",
        path: [index, "name"],
        message: `"${provider.name}" is already the name of providers[${first}]`,
      });
    } else seen.set(key, index);
  });
});

export type ProviderConfig = z.infer<typeof providerSchema>;
export type ProviderModelConfig = z.infer<typeof providerModelSchema>;
