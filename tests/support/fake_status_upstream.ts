/**
 * A fake OpenCode Go for the status tests: a chat model that streams with usage and OpenCode's trailing cost
 * chunk (in its own read, after `[DONE]`), non-stream answers with `cost`, `GET /models` and `GET /usage`.
 */
import { dataFrames, type FakeUpstream, sseResponse, startFakeUpstream } from "./fake_upstream.ts";

export const CHAT_COST = "0.0123";
const encoder = new TextEncoder();

export interface FakeGo extends FakeUpstream {
  /** How many times `GET /usage` was asked. */
  usageCalls(): number;
}

export function startFakeGo(usageBody: unknown = {
  usage: {
    rolling: { status: "ok", percent: 42, resetsAt: "2026-12-05T12:00:00.000Z" },
    weekly: { status: "ok", percent: 7, resetsAt: "2026-12-07T00:00:00.000Z" },
    monthly: { status: "rate-limited", percent: 100, resetsAt: "2026-12-31T00:00:00.000Z" },
  },
}): FakeGo {
  let usageCalls = 0;
  const upstream = startFakeUpstream((request) => {
    if (request.method === "GET" && request.path.endsWith("/models")) {
      return Response.json({ object: "list", data: [{ id: "kimi-k2.6", object: "model" }] });
    }
    if (request.method === "GET" && request.path.endsWith("/usage")) {
      usageCalls++;
      return Response.json(usageBody);
    }
    if (request.method !== "POST") return new Response("Not found", { status: 404 });
    const body = request.body as { model: string; stream?: boolean };
    if (body.stream !== true) {
      return Response.json({
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: "Hello." }, finish_reason: "stop" }],
        usage: { prompt_tokens: 50, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 0 } },
        cost: CHAT_COST,
      });
    }
    const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: body.model };
    const frames = dataFrames([
      {
        ...base,
        choices: [{ index: 0, delta: { role: "assistant", content: "Hello" }, finish_reason: null }],
      },
      { ...base, choices: [{ index: 0, delta: { content: " there." }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
      {
        ...base,
        choices: [],
        usage: { prompt_tokens: 120, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 100 } },
      },
    ]);
    return sseResponse([
      encoder.encode(frames),
      encoder.encode(`data: {"choices":[],"cost":"${CHAT_COST}"}\n\n`),
    ]);
  });
  return Object.assign(upstream, { usageCalls: () => usageCalls });
}

/** Waits until `check` holds; the 60 s guard only keeps a broken test from hanging the run. */
export async function until(check: () => boolean, what = "condition"): Promise<void> {
  const giveUpAt = Date.now() + 60_000;
  while (!check()) {
    if (Date.now() > giveUpAt) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
