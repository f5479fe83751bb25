/**
 * A whole OpenCode service (Go or Zen) on 127.0.0.1 for the doctor and setup tests: `GET /models`,
 * `GET /usage`, `POST /chat/completions` (streamed) and `POST /messages` (streamed), each checking the key as
 * OpenCode does (Bearer on chat and lists, x-api-key on /messages) and answering 401 AuthError or 401
 * ModelError in OpenCode's envelope. `GET /api.json` serves models.dev-shaped metadata for the catalog.
 */
import snapshot from "../../lib/catalog/snapshot.json" with { type: "json" };
import { opencodeError } from "./fake_anthropic_upstream.ts";
import {
  dataFrames,
  type FakeUpstream,
  namedFrames,
  sseResponse,
  startFakeUpstream,
} from "./fake_upstream.ts";

export interface FakeServiceOptions {
  /** The one key the service accepts. */
  key: string;
  /** Model ids it serves on each path. */
  chat?: string[];
  messages?: string[];
  /** Ids `GET /models` lists although requests for them fail with ModelError (a model being withdrawn). */
  listedOnly?: string[];
  /** `GET /usage` answer; default: every window ok. */
  usage?: unknown;
}

export function startFakeOpencodeService(options: FakeServiceOptions): FakeUpstream {
  const chat = options.chat ?? [];
  const messages = options.messages ?? [];
  return startFakeUpstream((request) => {
    const path = request.path;
    if (request.method === "GET" && path.endsWith("/api.json")) return Response.json(snapshot);
    const bearer = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    const presented = path.endsWith("/messages") ? request.headers.get("x-api-key") : bearer;
    if (presented !== options.key) {
      return opencodeError(401, "AuthError", presented ? "Unauthorized" : "Missing API key.");
    }
    if (request.method === "GET" && path.endsWith("/models")) {
      return Response.json({
        object: "list",
        data: [...chat, ...messages, ...(options.listedOnly ?? [])].map((id) => ({
          id,
          object: "model",
          created: 0,
          owned_by: "opencode",
        })),
      });
    }
    if (request.method === "GET" && path.endsWith("/usage")) {
      return Response.json(
        options.usage ?? {
          usage: {
            rolling: { status: "ok", percent: 4, resetsAt: "2026-12-05T12:00:00.000Z" },
            weekly: { status: "ok", percent: 3, resetsAt: "2026-12-07T00:00:00.000Z" },
            monthly: { status: "ok", percent: 1, resetsAt: "2026-12-31T00:00:00.000Z" },
          },
        },
      );
    }
    const body = request.body as { model?: string; stream?: boolean };
    if (request.method === "POST" && path.endsWith("/chat/completions")) {
      if (!chat.includes(body.model ?? "")) return modelError(body.model);
      const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 0, model: body.model };
      return sseResponse([new TextEncoder().encode(dataFrames([
        {
          ...base,
          choices: [{ index: 0, delta: { role: "assistant", content: "OK" }, finish_reason: null }],
        },
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
        { ...base, choices: [], usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 } },
      ]))]);
    }
    if (request.method === "POST" && path.endsWith("/messages")) {
      if (!messages.includes(body.model ?? "")) return modelError(body.model);
      const message = {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 0 },
      };
      return sseResponse([new TextEncoder().encode(namedFrames([
        { type: "message_start", message } as { type: string },
        { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } } as {
          type: string;
        },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "OK" } } as {
          type: string;
        },
        { type: "content_block_stop", index: 0 } as { type: string },
        {
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: { output_tokens: 1 },
        } as { type: string },
        { type: "message_stop" },
      ]))]);
    }
    return opencodeError(404, "NotFound", `Not found: ${request.method} ${path}`);
  });
}

function modelError(model: string | undefined): Response {
  return opencodeError(401, "ModelError", `Model ${model} not supported`);
}
