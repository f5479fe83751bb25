/**
 * Request translation cost: a Claude-Code-sized hub request (system, tools, 120 turns with thinking, tool calls
 * and results) built into each upstream family's request, and OpenAI Chat / Responses client requests parsed
 * into the hub. No network. Run: `deno bench -A bench/request_translation_bench.ts`.
 */
import type { Family, ResolvedModel } from "../lib/catalog/types.ts";
import { upstreamFormats } from "../lib/formats/registry.ts";
import { parseAnthropicRequest } from "../lib/formats/anthropic/client.ts";
import { parseOpenaiChatRequest } from "../lib/formats/openai-chat/client.ts";
import { openaiChatRequestToHub } from "../lib/formats/openai-chat/request_to_hub.ts";
import { parseOpenaiResponsesRequest } from "../lib/formats/openai-responses/client.ts";
import { openaiResponsesRequestToHub } from "../lib/formats/openai-responses/request_to_hub.ts";
import { chatModel } from "../tests/formats/openai-chat/chat_model.ts";
import { geminiModel } from "../tests/formats/gemini/gemini_model.ts";
import { responsesModel } from "../tests/formats/openai-responses/responses_model.ts";

const text = (turn: number) =>
  `Turn ${turn}: please look at lib/relay.ts and explain the fallback loop. `.repeat(6);
const tools = Array.from({ length: 20 }, (_, index) => ({
  name: `tool_${index}`,
  description: "Reads a file from the workspace and returns its content with line numbers. ".repeat(4),
  input_schema: {
    type: "object",
    properties: { path: { type: "string" }, offset: { type: "integer" }, limit: { type: "integer" } },
    required: ["path"],
    additionalProperties: false,
  },
}));
const messages = [];
for (let turn = 0; turn < 120; turn++) {
  const id = `toolu_${turn}`;
  messages.push({
    role: "user",
    content: turn === 0
      ? text(turn)
      : [{ type: "tool_result", tool_use_id: `toolu_${turn - 1}`, content: text(turn) }, {
        type: "text",
        text: text(turn),
      }],
  });
  messages.push({
    role: "assistant",
    content: [
      { type: "thinking", thinking: `Thinking about turn ${turn}. `.repeat(10), signature: "" },
      { type: "text", text: text(turn) },
      { type: "tool_use", id, name: `tool_${turn % 20}`, input: { path: `lib/file_${turn}.ts` } },
    ],
  });
}
messages.push({
  role: "user",
  content: [{ type: "tool_result", tool_use_id: "toolu_119", content: "done" }],
});
const hubJson = {
  model: "bench-model",
  max_tokens: 32_000,
  stream: true,
  system: [{ type: "text", text: "You are a coding agent. ".repeat(200) }],
  tools,
  thinking: { type: "enabled", budget_tokens: 8_000 },
  messages,
};
const hub = parseAnthropicRequest(hubJson);

const anthropicModel: ResolvedModel = {
  ...chatModel(),
  requested: "minimax-m2.7",
  family: "anthropic",
  upstreamModel: "minimax-m2.7",
};
const models: Record<Family, ResolvedModel> = {
  "openai-chat": chatModel(),
  "anthropic": anthropicModel,
  "openai-responses": responsesModel(),
  "gemini": geminiModel(),
};
for (const family of Object.keys(models) as Family[]) {
  const call = { model: models[family], apiKey: "k", sessionId: "s", clientHeaders: new Headers() };
  Deno.bench(
    `hub → ${family} upstream request (241 messages, 20 tools)`,
    { group: "hub to upstream" },
    () => {
      upstreamFormats[family].buildRequest(hub, call);
    },
  );
}

// The same conversation as an OpenAI Chat client and a Responses client would send it.
const chatJson = JSON.parse(JSON.stringify({
  model: "bench-model",
  stream: true,
  max_tokens: 32_000,
  tools: tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.input_schema },
  })),
  messages: [
    { role: "system", content: "You are a coding agent. ".repeat(200) },
    ...messages.flatMap(
      (message, turn) =>
        message.role === "assistant"
          ? [{
            role: "assistant",
            content: text(turn),
            tool_calls: [{
              id: `call_${turn}`,
              type: "function",
              function: { name: "tool_1", arguments: '{"path":"a.ts"}' },
            }],
          }, { role: "tool", tool_call_id: `call_${turn}`, content: text(turn) }]
          : [{ role: "user", content: text(turn) }],
    ),
  ],
}));
const responsesJson = {
  model: "bench-model",
  stream: true,
  instructions: "You are a coding agent. ".repeat(200),
  tools: tools.map((tool) => ({
    type: "function",
    name: tool.name,
    description: tool.description,
    parameters: tool.input_schema,
  })),
  input: messages.flatMap((message, turn) =>
    message.role === "assistant"
      ? [
        { type: "message", role: "assistant", content: [{ type: "output_text", text: text(turn) }] },
        { type: "function_call", call_id: `call_${turn}`, name: "tool_1", arguments: '{"path":"a.ts"}' },
        { type: "function_call_output", call_id: `call_${turn}`, output: text(turn) },
      ]
      : [{ type: "message", role: "user", content: [{ type: "input_text", text: text(turn) }] }]
  ),
};

Deno.bench("anthropic client JSON → hub (parse)", { group: "client to hub" }, () => {
  parseAnthropicRequest(hubJson);
});
Deno.bench("openai-chat client JSON → hub", { group: "client to hub" }, () => {
  openaiChatRequestToHub(parseOpenaiChatRequest(chatJson), { defaultMaxTokens: 32_000 });
});
Deno.bench("openai-responses client JSON → hub", { group: "client to hub" }, () => {
  openaiResponsesRequestToHub(parseOpenaiResponsesRequest(responsesJson), { defaultMaxTokens: 32_000 });
});
