import assert from "node:assert/strict";
import { clientFormatOf } from "../../lib/http/client_format.ts";

const request = (headers: HeadersInit = {}) => new Request("http://gateway/", { headers });

Deno.test("clientFormatOf decides the client's format from the endpoint", async (t) => {
  const cases: [endpoint: string, expected: string][] = [
    ["/v1/messages", "anthropic"],
    ["/v1/messages/count_tokens", "anthropic"],
    ["/v1/chat/completions", "openai-chat"],
    ["/v1/chat/nope", "openai-chat"],
    ["/v1/responses", "openai-responses"],
    ["/v1/unknown", "anthropic"],
    ["", "anthropic"],
  ];
  for (const [endpoint, expected] of cases) {
    await t.step(`${endpoint || "(no endpoint)"} → ${expected}`, () => {
      assert.equal(clientFormatOf(request(), endpoint), expected);
    });
  }
});

Deno.test("clientFormatOf reads the model list's client from anthropic-version", () => {
  assert.equal(clientFormatOf(request({ "anthropic-version": "2023-06-01" }), "/v1/models"), "anthropic");
  assert.equal(clientFormatOf(request({ "anthropic-version": "2023-06-01" }), "/v1/models/x"), "anthropic");
  assert.equal(clientFormatOf(request(), "/v1/models"), "openai-chat");
  // The header does not turn another endpoint's client into an Anthropic one.
  assert.equal(
    clientFormatOf(request({ "anthropic-version": "2023-06-01" }), "/v1/responses"),
    "openai-responses",
  );
});
