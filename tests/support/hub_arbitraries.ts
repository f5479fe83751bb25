/**
 * fast-check arbitraries for hub requests (anything the Anthropic request schema accepts, plus unknown extra
 * fields) and for resolved models of every family, shared by the property and fuzz tests.
 */
import fc from "fast-check";
import type { Family, ResolvedModel } from "../../lib/catalog/types.ts";
import { type HubRequest, requestSchema } from "../../lib/hub/schema.ts";

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
/** Mostly plain text, sometimes any Unicode (lone surrogates included) to shake encoders. */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", " ", "\n", "<think>x</think>", "x-anthropic-billing-header: cc=1;"),
  },
);
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
const toolName = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/) },
  { weight: 1, arbitrary: fc.constantFrom("mcp__server__tool", "Bash", "web_search", "a.b-c", "") },
);
const cacheControl = optional(fc.constant({ type: "ephemeral" }));
const base64 = fc.base64String({ maxLength: 48 });

const textBlock = fc.record({ type: fc.constant("text" as const), text, cache_control: cacheControl }, {
  requiredKeys: ["type", "text"],
});
const imageBlock = fc.record({
  type: fc.constant("image" as const),
  source: fc.oneof(
    fc.record({
      type: fc.constant("base64" as const),
      media_type: fc.constantFrom("image/png", "image/jpeg", "image/gif", "image/webp"),
      data: base64,
    }),
    fc.record({ type: fc.constant("url" as const), url: fc.webUrl() }),
  ),
});
const documentBlock = fc.record({
  type: fc.constant("document" as const),
  source: fc.oneof(
    fc.record({ type: fc.constant("base64"), media_type: fc.constant("application/pdf"), data: base64 }),
    fc.record({ type: fc.constant("text"), media_type: fc.constant("text/plain"), data: text }),
  ),
  title: optional(fc.option(text, { nil: null })),
}, { requiredKeys: ["type", "source"] });
const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const toolUseBlock = fc.record({
  type: fc.constant("tool_use" as const),
  id,
  name: toolName,
  input: fc.oneof({ weight: 4, arbitrary: jsonObject }, {
    weight: 1,
    arbitrary: fc.jsonValue({ maxDepth: 1 }),
  }),
});
const toolResultBlock = fc.record({
  type: fc.constant("tool_result" as const),
  tool_use_id: id,
  content: optional(fc.oneof(text, fc.array(fc.oneof(textBlock, imageBlock), { maxLength: 3 }))),
  is_error: optional(fc.boolean()),
}, { requiredKeys: ["type", "tool_use_id"] });
const thinkingBlock = fc.record({
  type: fc.constant("thinking" as const),
  thinking: text,
  signature: optional(fc.oneof(fc.string({ maxLength: 30 }), base64)),
}, { requiredKeys: ["type", "thinking"] });
const redactedThinkingBlock = fc.record({ type: fc.constant("redacted_thinking" as const), data: base64 });

const block = fc.oneof(
  { weight: 5, arbitrary: textBlock },
  { weight: 1, arbitrary: imageBlock },
  { weight: 1, arbitrary: documentBlock },
  { weight: 2, arbitrary: toolUseBlock },
  { weight: 2, arbitrary: toolResultBlock },
  { weight: 2, arbitrary: thinkingBlock },
  { weight: 1, arbitrary: redactedThinkingBlock },
);

const message = fc.record({
  role: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom("user" as const, "assistant" as const) },
    { weight: 1, arbitrary: fc.constant("system" as const) },
  ),
  content: fc.oneof(text, fc.array(block, { maxLength: 4 })),
});

/** Text with something visible in it (Anthropic rejects empty and whitespace-only text blocks). */
const visibleText = fc.tuple(
  fc.string({ minLength: 1, maxLength: 4 }).filter((value) => value.trim() !== ""),
  text,
)
  .map(([head, tail]) => head + tail);
const visibleTextBlock = fc.record({
  type: fc.constant("text" as const),
  text: visibleText,
  cache_control: cacheControl,
}, { requiredKeys: ["type", "text"] });
/** Messages as a real Anthropic client sends them: blocks only where that role may carry them. */
const wellFormedMessage = fc.oneof(
  fc.record({
    role: fc.constant("user" as const),
    content: fc.oneof(
      visibleText,
      fc.array(
        fc.oneof({ weight: 4, arbitrary: visibleTextBlock }, imageBlock, documentBlock, toolResultBlock),
        { minLength: 1, maxLength: 4 },
      ),
    ),
  }),
  fc.record({
    role: fc.constant("assistant" as const),
    content: fc.oneof(
      visibleText,
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: visibleTextBlock },
          toolUseBlock,
          thinkingBlock,
          redactedThinkingBlock,
        ),
        { minLength: 1, maxLength: 4 },
      ),
    ),
  }),
  fc.record({ role: fc.constant("system" as const), content: visibleText }),
);
const firstUserMessage = fc.record({ role: fc.constant("user" as const), content: visibleText });

const inputSchema = fc.oneof(
  fc.constant({ type: "object", properties: {} }),
  fc.record({
    type: fc.constant("object"),
    properties: fc.dictionary(
      fc.stringMatching(/^[a-z_]{1,8}$/),
      fc.oneof(
        fc.constant({ type: "string" }),
        fc.constant({ type: "integer", minimum: 0 }),
        fc.constant({ type: "array", items: { type: "string" } }),
        fc.constant({ anyOf: [{ type: "string" }, { type: "null" }] }),
        fc.constant({ type: "object", additionalProperties: true, $schema: "x" }),
      ),
      { maxKeys: 3 },
    ),
    required: optional(fc.array(fc.stringMatching(/^[a-z_]{1,8}$/), { maxLength: 2 })),
  }, { requiredKeys: ["type", "properties"] }),
  jsonObject,
);
function toolArbitrary(name: fc.Arbitrary<string>, types: string[]) {
  return fc.record({
    name,
    description: optional(text),
    input_schema: optional(inputSchema),
    type: optional(fc.constantFrom(...types)),
    defer_loading: optional(fc.boolean()),
    cache_control: cacheControl,
  }, { requiredKeys: ["name"] });
}
const validToolName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,40}$/);
const tool = toolArbitrary(toolName, ["custom", "web_search_20250305", "bash_20250124"]);
/** Custom tools with names Anthropic accepts; server tools are refused (4xx) by some families on purpose. */
const wellFormedTool = toolArbitrary(validToolName, ["custom"]);

const toolChoice = fc.oneof(
  fc.record({ type: fc.constant("auto" as const), disable_parallel_tool_use: optional(fc.boolean()) }, {
    requiredKeys: ["type"],
  }),
  fc.record({ type: fc.constant("any" as const) }),
  fc.record({ type: fc.constant("tool" as const), name: toolName }),
  fc.record({ type: fc.constant("none" as const) }),
);
const thinking = fc.oneof(
  fc.record({ type: fc.constant("enabled" as const), budget_tokens: fc.nat({ max: 64_000 }) }),
  fc.record({ type: fc.constant("disabled" as const) }),
  fc.record({
    type: fc.constant("adaptive" as const),
    display: optional(fc.constantFrom("summarized", "omitted")),
  }, {
    requiredKeys: ["type"],
  }),
);
const unknownFields = fc.dictionary(
  fc.constantFrom("x_future", "context_management", "container", "mcp_servers"),
  fc.jsonValue({ maxDepth: 1 }),
  {
    maxKeys: 2,
  },
);

function requestArbitrary(
  messages: fc.Arbitrary<unknown[]>,
  tools: fc.Arbitrary<unknown>,
): fc.Arbitrary<HubRequest> {
  return fc.record({
    model: fc.constantFrom("claude-sonnet-4-6", "kimi-k2.6", "m"),
    messages,
    system: optional(fc.oneof(text, fc.array(textBlock, { maxLength: 3 }))),
    max_tokens: fc.integer({ min: 1, max: 200_000 }),
    stream: optional(fc.boolean()),
    temperature: optional(fc.double({ min: 0, max: 2, noNaN: true })),
    top_p: optional(fc.double({ min: 0, max: 1, noNaN: true })),
    top_k: optional(fc.nat({ max: 500 })),
    stop_sequences: optional(fc.array(text, { maxLength: 3 })),
    tools: optional(fc.array(tools, { maxLength: 3 })),
    tool_choice: optional(toolChoice),
    thinking: optional(thinking),
    output_config: optional(
      fc.record({ effort: optional(fc.constantFrom("low", "medium", "high", "xhigh", "max")) }),
    ),
    metadata: optional(
      fc.record({ user_id: optional(fc.option(fc.string({ maxLength: 20 }), { nil: null })) }),
    ),
    extra: unknownFields,
  }, { requiredKeys: ["model", "messages", "max_tokens", "extra"] })
    .map(({ extra, ...request }) => ({ ...extra, ...request }))
    .map((raw) => requestSchema.safeParse(raw))
    .filter((result) => result.success)
    .map((result) => result.data as HubRequest);
}

/** Anything the hub request schema accepts (blocks in any role, empty texts), plus unknown top-level fields. */
export const hubRequestArbitrary: fc.Arbitrary<HubRequest> = requestArbitrary(
  fc.array(message, { minLength: 1, maxLength: 5 }),
  tool,
);

/**
 * Schema-valid requests that also follow Anthropic's message rules (a user turn first, blocks only in the
 * roles that may carry them, no empty text): what every upstream must be able to carry.
 */
export const wellFormedRequestArbitrary: fc.Arbitrary<HubRequest> = requestArbitrary(
  fc.tuple(firstUserMessage, fc.array(wellFormedMessage, { maxLength: 4 })).map((
    [first, rest],
  ) => [first, ...rest]),
  wellFormedTool,
);

/** Realistic upstream ids per family (the Anthropic upstream picks a profile from the id). */
export const upstreamIdsByFamily: Record<Family, string[]> = {
  "openai-chat": ["kimi-k2.6", "glm-5.1", "deepseek-v4-pro", "mimo-v2.5-pro", "qwen3.6-plus"],
  "anthropic": ["minimax-m2.7", "qwen3.6-plus", "claude-sonnet-4-6"],
  "openai-responses": ["gpt-5.5", "gpt-5.3-codex"],
  "gemini": ["gemini-3.1-pro", "gemini-3-flash"],
};

/** A resolved model of `family` with varied capabilities. */
export function resolvedModelArbitrary(
  family: Family,
  baseUrl = "https://up.test/v1",
): fc.Arbitrary<ResolvedModel> {
  return fc.record({
    id: fc.constantFrom(...upstreamIdsByFamily[family]),
    service: fc.constantFrom("go" as const, "zen" as const),
    reasoning: fc.boolean(),
    image: fc.boolean(),
    pdf: fc.boolean(),
    interleavedField: fc.constantFrom("reasoning_content" as const, "reasoning_details" as const, null),
    efforts: fc.option(fc.subarray(["low", "medium", "high", "max"]), { nil: null }),
    temperature: fc.boolean(),
    // `auto` is always accepted; the forced forms vary.
    forcedWithThinking: fc.subarray(["required", "named"] as const),
    thinkingAlwaysOn: fc.boolean(),
    output: fc.integer({ min: 1024, max: 131_072 }),
  }).map((model) => ({
    requested: model.id,
    service: model.service,
    baseUrl,
    family,
    upstreamModel: model.id,
    limits: { context: 262_144, output: model.output },
    capabilities: {
      reasoning: model.reasoning,
      toolCall: true,
      image: model.image,
      pdf: model.pdf,
      interleavedField: model.interleavedField,
      efforts: model.efforts,
      temperature: model.temperature,
      toolChoiceWithThinking: ["auto" as const, ...model.forcedWithThinking],
      thinkingAlwaysOn: model.thinkingAlwaysOn,
    },
    matchedBy: "exact",
  }));
}
