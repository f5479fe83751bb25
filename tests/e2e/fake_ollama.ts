/**
 * An Ollama-like OpenAI-compatible server on 127.0.0.1 for the providers e2e run: `GET /v1/models` lists its
 * local models, `POST /v1/chat/completions` plays `qwen3-coder:30b`, answering the main request with
 * reasoning and a `Write` tool call streamed in fragments and, once it sees the tool result (or for any side
 * request), with plain text. It refuses what would be wrong for a third-party server: a missing or foreign
 * key, OpenCode's session headers, an unknown model, a tool-call turn replayed without its reasoning.
 */
import {
  byteChunks,
  dataFrames,
  type RecordedRequest,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";
import { WRITTEN_CONTENT } from "./scripted_chat_upstream.ts";
import { type E2eUpstream, splitText } from "./support.ts";

export const OLLAMA_KEY = "ollama-local-key-e2e";
export const OLLAMA_MODELS = ["qwen3-coder:30b", "llama3.2:3b"];

type ChatBody = {
  model?: string;
  stream?: boolean;
  messages?: { role?: string; tool_calls?: unknown[]; reasoning_content?: unknown }[];
  tools?: { function?: { name?: string } }[];
};

export function startFakeOllama(filePath: string): E2eUpstream {
  const statuses = new Map<RecordedRequest, number>();
  const rejections: string[] = [];
  const refuse = (request: RecordedRequest, status: number, message: string) => {
    rejections.push(`${request.method} ${request.path}: ${status} ${message}`);
    statuses.set(request, status);
    return Response.json({ error: { message, type: "invalid_request_error" } }, { status });
  };
  const fake = startFakeUpstream((request) => {
    if (request.headers.get("authorization") !== `Bearer ${OLLAMA_KEY}`) {
      return refuse(request, 401, "missing or foreign key");
    }
    if (request.headers.has("x-opencode-session") || request.headers.has("x-opencode-client")) {
      return refuse(request, 400, "OpenCode session headers reached a third-party server");
    }
    if (request.method === "GET" && request.path === "/v1/models") {
      statuses.set(request, 200);
      return Response.json({ object: "list", data: OLLAMA_MODELS.map((id) => ({ id, object: "model" })) });
    }
    if (request.method !== "POST" || request.path !== "/v1/chat/completions") {
      return refuse(request, 404, "not found");
    }
    const body = request.body as ChatBody;
    if (!OLLAMA_MODELS.includes(body.model ?? "")) {
      return refuse(request, 404, `model "${body.model}" not found`);
    }
    if (body.stream !== true) return refuse(request, 400, "this fake only streams");
    const missing = (body.messages ?? []).findIndex((message) =>
      message.role === "assistant" && message.tool_calls?.length && message.reasoning_content === undefined
    );
    if (missing >= 0) {
      return refuse(request, 400, `messages[${missing}]: reasoning_content missing on replay`);
    }
    statuses.set(request, 200);
    return sseResponse(byteChunks(dataFrames(reply(body, filePath)), 17));
  });
  return {
    url: fake.url,
    requests: fake.requests,
    statuses,
    rejections: () => rejections,
    close: () => fake.close(),
  };
}

function reply(body: ChatBody, filePath: string): unknown[] {
  const wantsWrite = (body.tools ?? []).some((tool) => tool.function?.name === "Write");
  const sawToolResult = (body.messages ?? []).some((message) => message.role === "tool");
  const base = {
    id: "chatcmpl-ollama",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: body.model,
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const usage = {
    ...base,
    choices: [],
    usage: { prompt_tokens: 900, completion_tokens: 30, total_tokens: 930 },
  };
  if (!wantsWrite || sawToolResult) {
    const text = sawToolResult ? "Created the file." : "Local session";
    return [
      chunk({ role: "assistant", content: "" }),
      ...splitText(text, 4).map((part) => chunk({ content: part })),
      chunk({}, "stop"),
      usage,
    ];
  }
  const argumentsJson = JSON.stringify({ file_path: filePath, content: WRITTEN_CONTENT });
  return [
    chunk({ role: "assistant", content: "" }),
    ...splitText("A file is wanted; Write does it.", 6).map((part) => chunk({ reasoning_content: part })),
    chunk({
      tool_calls: [{
        index: 0,
        id: "call_local_write",
        type: "function",
        function: { name: "Write", arguments: "" },
      }],
    }),
    ...splitText(argumentsJson, 9).map((part) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] })
    ),
    chunk({}, "tool_calls"),
    usage,
  ];
}
