/**
 * Issue 11: an upstream that echoes the request's key inside a mid-stream error event (after its 200) must not
 * hand it to the client or the log, on every family and client format, translated or passed through.
 */
import assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import { parseConfig } from "../../lib/config.ts";
import { scrubErrorEvents } from "../../lib/sse/scrub_error_events.ts";
import type { SseEvent } from "../../lib/sse/sse_decoder.ts";
import { streamSecrets } from "../../lib/upstream/stream_secrets.ts";
import { renderScript } from "../support/upstream_scripts.ts";
import {
  type FetchCall,
  makeGateway,
  messagesRequest,
  simpleBody,
  streamResponse,
  waitFor,
} from "../support/reliability_harness.ts";

const CLIENT_KEY = "sk-oc-ECHOTEST-client-9f8e7d6c5b4a";
const SERVER_KEY = "sk-oc-ECHOTEST-server-1a2b3c4d5e6f";
const GATEWAY_KEY = "gwk-ECHOTEST-0a9b8c7d6e";

const familyOfModel: Record<string, Family> = {
  "kimi-k2.6": "openai-chat",
  "minimax-m2.7": "anthropic",
  "gpt-5.5": "openai-responses",
  "gemini-3-flash": "gemini",
};

/** Every credential the fake received, plus the others the gateway knows, in one message. */
function echoed(call: FetchCall, known: string[]): string {
  // Each family's key header (authorization, x-api-key, x-goog-api-key), as the fake received it.
  const received = [...call.headers].filter(([name]) => /^(authorization|x-(goog-)?api-key)$/.test(name))
    .map(([, value]) => value).join(" / ");
  return `Key rejected: ${received} (also ${known.join(", ")})`;
}

function errorFrame(family: Family, message: string): string {
  const text = JSON.stringify(message);
  switch (family) {
    case "anthropic":
      return `event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":${text}}}\n\n`;
    case "openai-responses":
      return `event: error\ndata: {"type":"error","code":"server_error","message":${text},"sequence_number":3}\n\n`;
    case "openai-chat":
      return `data: {"error":{"message":${text},"type":"server_error"}}\n\n`;
    case "gemini":
      return `data: {"error":{"code":500,"message":${text},"status":"INTERNAL"}}\n\n`;
  }
}

/** A 200 stream: the family's first frames (start and some text), then the error that echoes the keys. */
const echoingUpstream = (known: string[]) => (call: FetchCall) => {
  const family =
    (Object.entries(familyOfModel).find(([id]) => JSON.stringify(call.body ?? {}).includes(id)) ??
      [undefined, call.url.includes(":stream") ? "gemini" : "openai-chat"])[1] as Family;
  const frames = renderScript(family, {
    parts: [{ kind: "text", chunks: ["Hel", "lo"] }],
    finish: "end",
    usage: { input: 5, output: 2 },
  });
  return streamResponse([
    ...frames.slice(0, family === "gemini" ? 1 : 3),
    errorFrame(family, echoed(call, known)),
  ]);
};

function requestFor(format: string, model: string, stream: boolean, key: string): Request {
  if (format === "anthropic") return messagesRequest(simpleBody(model, { stream }), { key });
  const path = format === "openai-chat" ? "/v1/chat/completions" : "/v1/responses";
  const body = format === "openai-chat"
    ? { model, stream, messages: [{ role: "user", content: "Hi" }] }
    : { model, stream, input: "Hi" };
  return new Request(`http://gateway.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

function assertNoKey(text: string, where: string, keys: string[]) {
  for (const key of keys) {
    for (let start = 0; start + 12 <= key.length; start += 4) {
      assert.ok(
        !text.includes(key.slice(start, start + 12)),
        `part of ${key.slice(0, 10)}… in ${where}: ${text}`,
      );
    }
  }
}

for (
  const [label, settings, key, known] of [
    ["client key passed through", {}, CLIENT_KEY, [CLIENT_KEY]],
    [
      "server key behind gateway keys",
      { OPENCODE_API_KEY: SERVER_KEY, GATEWAY_KEYS: GATEWAY_KEY },
      GATEWAY_KEY,
      [SERVER_KEY, GATEWAY_KEY],
    ],
  ] as [string, Record<string, string>, string, string[]][]
) {
  Deno.test(`a mid-stream error event that echoes a key never reaches the client or the log (${label})`, async (t) => {
    const { handler, logs } = makeGateway(
      { ...settings, RETRIES: "0" },
      echoingUpstream(known),
    );
    for (const format of ["anthropic", "openai-chat", "openai-responses"]) {
      for (const [model, family] of Object.entries(familyOfModel)) {
        for (const stream of [true, false]) {
          // A non-stream Chat or Responses call on its own family is passed through as one JSON answer: no stream.
          if (!stream && format === family && format !== "anthropic") continue;
          await t.step(`${format} client → ${family} (${stream ? "stream" : "non-stream"})`, async () => {
            const before = logs.length;
            const response = await handler(requestFor(format, model, stream, key));
            const text = await response.text();
            assertNoKey(text, "the answer", known);
            // The error still reaches the client, with the rest of its words.
            assert.match(text, /Key rejected/, text);
            assert.match(text, /\[redacted\]/, text);
            await waitFor(() => logs.length > before, 10_000);
            assertNoKey(logs.slice(before).join("\n"), "the log", known);
          });
        }
      }
    }
  });
}

Deno.test("scrubErrorEvents rewrites only error events that hold a secret; every other event keeps its bytes", () => {
  const encoder = new TextEncoder();
  const event = (name: string, data: string): SseEvent => ({
    event: name,
    data,
    raw: encoder.encode(`${name === "message" ? "" : `event: ${name}\n`}data: ${data}\n\n`),
  });
  const ordinary = event("message", `{"choices":[{"delta":{"content":"my key is ${CLIENT_KEY}"}}]}`);
  const plainError = event("error", '{"type":"error","error":{"message":"Overloaded"}}');
  const echo = event("message", `{"error":{"message":"bad key ${CLIENT_KEY}"}}`);
  const events = [ordinary, plainError, echo];
  scrubErrorEvents(events, [CLIENT_KEY]);
  assert.equal(events[0], ordinary, "an ordinary event is never looked into");
  assert.equal(events[1], plainError, "an error without a secret keeps its bytes");
  assert.equal(events[2].data, '{"error":{"message":"bad key [redacted]"}}');
  assert.equal(new TextDecoder().decode(events[2].raw), `data: ${events[2].data}\n\n`);
});

Deno.test("streamSecrets holds the client's key, the server key, the call's key and provider keys", () => {
  const config = parseConfig(
    { OPENCODE_API_KEY: SERVER_KEY },
    [{
      name: "prov",
      format: "openai-chat",
      baseUrl: "https://prov.test/v1",
      apiKey: "prov-ECHOTEST-77aa88bb99cc",
      headers: {},
      discover: true,
      models: [],
    }],
  );
  const secrets = streamSecrets(
    config,
    new Headers({ authorization: `Bearer ${CLIENT_KEY}` }),
    "call-key-1234",
  );
  for (
    const expected of [
      CLIENT_KEY,
      `Bearer ${CLIENT_KEY}`,
      SERVER_KEY,
      "call-key-1234",
      "prov-ECHOTEST-77aa88bb99cc",
    ]
  ) {
    assert.ok(secrets.includes(expected), expected);
  }
});
