/**
 * An OpenCode Go chat-completions upstream (Kimi-like) for the Claude Code run: it rejects what the real
 * one rejects, answers the main request with reasoning and a `Write` tool call streamed in small argument
 * fragments, and answers once it sees the tool result (or any side request) with plain text.
 */
import {
  byteChunks,
  dataFrames,
  type FakeHandler,
  type RecordedRequest,
  sseResponse,
} from "../support/fake_upstream.ts";
import { splitText } from "./support.ts";

/** What the CLI must end up writing through the `Write` tool. */
export const WRITTEN_CONTENT = "hello from opencode-bridge\n";

export interface ScriptedUpstream {
  handler: FakeHandler;
  /** Status the fake answered each recorded request with. */
  statuses: Map<RecordedRequest, number>;
  /** One line per rejected request, saying why. */
  rejections: string[];
}

type Problem = { status: number; message: string } | undefined;
type ChatMessage = {
  role?: string;
  tool_calls?: { id?: string }[];
  reasoning_content?: unknown;
  tool_call_id?: string;
};
type ChatBody = {
  model?: string;
  stream?: boolean;
  thinking?: { type?: string };
  messages?: ChatMessage[];
  tools?: { type?: string; function?: { name?: string } }[];
  [field: string]: unknown;
};

export function scriptedChatUpstream(filePath: string): ScriptedUpstream {
  const statuses = new Map<RecordedRequest, number>();
  const rejections: string[] = [];
  const handler: FakeHandler = (request) => {
    const problem = chatRequestProblem(request);
    const response = problem
      ? Response.json({ error: { message: problem.message, type: "invalid_request_error" } }, {
        status: problem.status,
      })
      : sseResponse(byteChunks(dataFrames(chatReply(request.body as ChatBody, filePath)), 23));
    if (problem) rejections.push(`${request.method} ${request.path}: ${problem.status} ${problem.message}`);
    statuses.set(request, response.status);
    return response;
  };
  return { handler, statuses, rejections };
}

/** Why the real Kimi-on-Go route would refuse this request, or undefined. */
export function chatRequestProblem(request: RecordedRequest): Problem {
  if (request.method !== "POST" || !request.path.endsWith("/chat/completions")) {
    return { status: 404, message: `Not found: ${request.method} ${request.path}` };
  }
  if (request.headers.get("authorization") !== "Bearer test-key") {
    return { status: 401, message: "Invalid API key" };
  }
  // OpenCode Go answers 400 MissingSessionID without it.
  if (!request.headers.get("x-opencode-session")) return { status: 400, message: "MissingSessionID" };
  const body = request.body as ChatBody;
  if (body?.stream !== true) return { status: 400, message: "stream: expected true" };
  for (const field of ["context_management", "output_config", "system"]) {
    if (field in body) return { status: 400, message: `Unrecognized request argument supplied: ${field}` };
  }
  if (body.thinking && body.thinking.type !== "enabled" && body.thinking.type !== "disabled") {
    return { status: 400, message: `invalid thinking type: ${body.thinking.type}` };
  }
  const messages = body.messages ?? [];
  const callIds = new Set<string>();
  for (const [index, message] of messages.entries()) {
    if (!["system", "user", "assistant", "tool"].includes(message.role ?? "")) {
      return { status: 400, message: `messages[${index}].role: invalid role ${message.role}` };
    }
    for (const call of message.tool_calls ?? []) callIds.add(call.id ?? "");
    // Kimi's own wording: thinking is on by default, and a replayed tool-call turn must carry its reasoning.
    if (
      message.tool_calls?.length && body.thinking?.type !== "disabled" &&
      message.reasoning_content === undefined
    ) {
      return {
        status: 400,
        message:
          `thinking is enabled but reasoning_content is missing in assistant tool call message at index ${index}`,
      };
    }
    if (message.role === "tool" && !callIds.has(message.tool_call_id ?? "")) {
      return { status: 400, message: `tool_call_id ${message.tool_call_id} is not found` };
    }
  }
  for (const tool of body.tools ?? []) {
    if (tool.type !== "function" || !tool.function?.name) {
      return { status: 400, message: "tools: invalid tool" };
    }
  }
  return undefined;
}

function chatReply(body: ChatBody, filePath: string): unknown[] {
  const wantsWrite = (body.tools ?? []).some((tool) => tool.function?.name === "Write");
  const sawToolResult = (body.messages ?? []).some((message) => message.role === "tool");
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: "chatcmpl-e2e",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: body.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const usage = {
    id: "chatcmpl-e2e",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: body.model,
    choices: [],
    usage: { prompt_tokens: 1200, completion_tokens: 40, total_tokens: 1240 },
  };
  if (!wantsWrite || sawToolResult) {
    const text = sawToolResult ? "Wrote the file — done ✓" : "E2E session";
    return [
      chunk({ role: "assistant", content: "" }),
      ...splitText(text, 5).map((part) => chunk({ content: part })),
      chunk({}, "stop"),
      usage,
    ];
  }
  const argumentsJson = JSON.stringify({ file_path: filePath, content: WRITTEN_CONTENT });
  return [
    chunk({ role: "assistant", content: "" }),
    ...splitText("The user wants a file → I'll call Write.", 6).map((part) =>
      chunk({ reasoning_content: part })
    ),
    chunk({
      tool_calls: [{
        index: 0,
        id: "call_e2e_write",
        type: "function",
        function: { name: "Write", arguments: "" },
      }],
    }),
    ...splitText(argumentsJson, 7).map((part) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] })
    ),
    chunk({}, "tool_calls"),
    usage,
  ];
}
