import assert from "node:assert/strict";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import { renderError } from "../../lib/errors/render_error.ts";

Deno.test("renderError uses each client's own envelope and keeps retry-after", async () => {
  const error = new GatewayError("rate_limit_error", "Slow down", { retryAfter: "30" });
  const anthropic = renderError(error, "anthropic");
  assert.equal(anthropic.status, 429);
  assert.equal(anthropic.headers.get("retry-after"), "30");
  assert.deepEqual(await anthropic.json(), {
    type: "error",
    error: { type: "rate_limit_error", message: "Slow down" },
  });
  const openai = renderError(error, "openai-chat");
  assert.equal(openai.status, 429);
  assert.deepEqual(await openai.json(), {
    error: { message: "Slow down", type: "rate_limit_error", code: "rate_limit_error", param: null },
  });
});

Deno.test("renderError gives OpenAI clients context_length_exceeded for a prompt that is too long", async () => {
  const error = new GatewayError("invalid_request_error", "prompt is too long: 5008 tokens > 1000 maximum");
  const body = await renderError(error, "openai-responses").json();
  assert.equal(body.error.code, "context_length_exceeded");
  assert.equal(body.error.type, "invalid_request_error");
  const other = await renderError(new GatewayError("invalid_request_error", "messages: bad"), "openai-chat")
    .json();
  assert.equal(other.error.code, "invalid_request_error");
});
