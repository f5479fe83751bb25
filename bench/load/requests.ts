/**
 * The benchmark's requests, shaped after a recorded Claude Code turn (a 30 KB system prompt in three blocks,
 * a dozen tools with JSON schemas, 20 turns of text, tool calls and tool results: about 90 KB) and a tiny
 * one, in each client format. The words are generated, not Claude Code's own prompt text.
 */
import { type Family, modelId, type Variant } from "./replies.ts";

type Json = Record<string, unknown>;

export type ClientFormat = "anthropic" | "openai-chat" | "openai-responses";
export type Size = "large" | "tiny";

const VOCABULARY = (
  "the a to of and in is for on with that this you when use file tool code run test user task read write " +
  "edit search result output input path project change before after always never only each command shell " +
  "function module return value error check commit branch review note format line text request response " +
  "agent model context memory stream token limit time option setting default example"
).split(" ");

/** Deterministic prose of about `bytes` characters. */
function prose(bytes: number, seed: number): string {
  let out = "";
  let state = seed * 2_654_435_761 >>> 0;
  let sentence = 0;
  while (out.length < bytes) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    out += VOCABULARY[state % VOCABULARY.length];
    if (++sentence % 14 === 0) out += state % 5 === 0 ? ".\n\n- " : ". ";
    else out += " ";
  }
  return out.slice(0, bytes);
}

interface Conversation {
  system: string[];
  tools: { name: string; description: string; schema: Json }[];
  /** Alternating turns; assistant turns call one tool, user turns answer it. */
  turns: {
    user: string;
    assistantText: string;
    call: { id: string; name: string; input: Json };
    result: string;
  }[];
  last: string;
}

const toolNames = [
  "Agent",
  "Bash",
  "Edit",
  "Glob",
  "Grep",
  "Read",
  "Write",
  "WebFetch",
  "WebSearch",
  "TodoWrite",
  "Skill",
  "Notebook",
];

function conversation(size: Size): Conversation {
  if (size === "tiny") return { system: [], tools: [], turns: [], last: "Say hello." };
  const tools = toolNames.map((name, index) => ({
    name,
    description: prose(1_700, 100 + index),
    schema: {
      type: "object",
      properties: Object.fromEntries(
        ["path", "pattern", "content", "limit", "mode", "description"].map((field, at) => [
          `${field}_${index}`,
          at === 3
            ? { type: "integer", minimum: 0, description: prose(90, index * 10 + at) }
            : { type: "string", description: prose(160, index * 10 + at) },
        ]),
      ),
      required: [`path_${index}`],
      additionalProperties: false,
      $schema: "http://json-schema.org/draft-07/schema#",
    },
  }));
  const turns = Array.from({ length: 10 }, (_, index) => ({
    user: prose(300, 500 + index),
    assistantText: prose(200, 600 + index),
    call: {
      id: `toolu_hist_${index}`,
      name: toolNames[index % toolNames.length],
      input: {
        [`path_${index % toolNames.length}`]: `/tmp/project/src/file_${index}.ts`,
        note: prose(80, 700 + index),
      },
    },
    result: prose(1_600, 800 + index),
  }));
  return {
    system: ["x-billing-header: bench", prose(60, 1), prose(30_000, 2)],
    tools,
    turns,
    last: "Now read the main file and tell me what it does.",
  };
}

export function anthropicBody(model: string, size: Size, stream: boolean): Json {
  const talk = conversation(size);
  const messages: Json[] = [];
  for (const turn of talk.turns) {
    messages.push({ role: "user", content: [{ type: "text", text: turn.user }] });
    messages.push({
      role: "assistant",
      content: [
        { type: "text", text: turn.assistantText },
        { type: "tool_use", id: turn.call.id, name: turn.call.name, input: turn.call.input },
      ],
    });
    messages.push({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: turn.call.id, content: turn.result }],
    });
  }
  messages.push({ role: "user", content: talk.last });
  const body: Json = { model, max_tokens: size === "tiny" ? 64 : 32_000, messages, stream };
  if (talk.system.length) {
    body.system = talk.system.map((text, index) => ({
      type: "text",
      text,
      ...(index > 0 ? { cache_control: { type: "ephemeral" } } : {}),
    }));
    body.tools = talk.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.schema,
    }));
    body.metadata = { user_id: JSON.stringify({ device_id: "bench", session_id: "bench-session" }) };
  }
  return body;
}

export function chatBody(model: string, size: Size, stream: boolean): Json {
  const talk = conversation(size);
  const messages: Json[] = [];
  if (talk.system.length) messages.push({ role: "system", content: talk.system.join("\n\n") });
  for (const turn of talk.turns) {
    messages.push({ role: "user", content: turn.user });
    messages.push({
      role: "assistant",
      content: turn.assistantText,
      tool_calls: [{
        id: turn.call.id,
        type: "function",
        function: { name: turn.call.name, arguments: JSON.stringify(turn.call.input) },
      }],
    });
    messages.push({ role: "tool", tool_call_id: turn.call.id, content: turn.result });
  }
  messages.push({ role: "user", content: talk.last });
  const body: Json = { model, max_tokens: size === "tiny" ? 64 : 32_000, messages, stream };
  if (talk.tools.length) {
    body.tools = talk.tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.schema },
    }));
  }
  return body;
}

export function responsesBody(model: string, size: Size, stream: boolean): Json {
  const talk = conversation(size);
  const input: Json[] = [];
  for (const turn of talk.turns) {
    input.push({ role: "user", content: turn.user });
    input.push({ role: "assistant", content: turn.assistantText });
    input.push({
      type: "function_call",
      call_id: turn.call.id,
      name: turn.call.name,
      arguments: JSON.stringify(turn.call.input),
    });
    input.push({ type: "function_call_output", call_id: turn.call.id, output: turn.result });
  }
  input.push({ role: "user", content: talk.last });
  const body: Json = { model, max_output_tokens: size === "tiny" ? 64 : 32_000, input, stream };
  if (talk.system.length) {
    body.instructions = talk.system.join("\n\n");
    body.tools = talk.tools.map((tool) => ({
      type: "function",
      name: tool.name,
      description: tool.description,
      parameters: tool.schema,
      strict: false,
    }));
  }
  return body;
}

const bodyByClient: Record<ClientFormat, (model: string, size: Size, stream: boolean) => Json> = {
  anthropic: anthropicBody,
  "openai-chat": chatBody,
  "openai-responses": responsesBody,
};

export const gatewayPath: Record<ClientFormat, string> = {
  anthropic: "/v1/messages",
  "openai-chat": "/v1/chat/completions",
  "openai-responses": "/v1/responses",
};

export const upstreamPath: Record<ClientFormat, string> = {
  anthropic: "/messages",
  "openai-chat": "/chat/completions",
  "openai-responses": "/responses",
};

/** A prepared request: the same JSON bytes go to the gateway and, for the baseline, straight to the fake. */
export interface BenchRequest {
  client: ClientFormat;
  upstream: Family;
  variant: Variant;
  size: Size;
  stream: boolean;
  body: string;
}

export function benchRequest(
  client: ClientFormat,
  upstream: Family,
  variant: Variant,
  size: Size,
  stream: boolean,
): BenchRequest {
  const body = JSON.stringify(bodyByClient[client](modelId(upstream, variant), size, stream));
  return { client, upstream, variant, size, stream, body };
}
