import assert from "node:assert/strict";
import { parseUpstreamError } from "../../lib/errors/upstream_error.ts";

function parse(status: number, body: unknown, headers: HeadersInit = {}) {
  return parseUpstreamError(
    status,
    typeof body === "string" ? body : JSON.stringify(body),
    new Headers(headers),
  );
}

Deno.test("parseUpstreamError maps OpenCode's error classes to what they mean", async (t) => {
  const cases: [string, number, string, string, number][] = [
    ["AuthError", 401, "authentication_error", "Invalid API key", 401],
    ["ModelError", 401, "not_found_error", "Model foo not supported", 404],
    ["CreditsError", 401, "billing_error", "No payment method", 402],
    ["RegionError", 403, "permission_error", "Region not allowed", 403],
    ["RateLimitError", 429, "rate_limit_error", "Slow down", 429],
    ["MissingSessionID", 400, "api_error", "missing x-opencode-session", 500],
  ];
  for (const [type, status, kind, message, clientStatus] of cases) {
    await t.step(type, () => {
      const error = parse(status, { type: "error", error: { type, message } });
      assert.equal(error.kind, kind);
      assert.equal(error.status, clientStatus);
      assert.equal(error.message, message);
    });
  }
});

Deno.test("parseUpstreamError rewrites context overflow to Claude Code's wording", () => {
  const error = parse(400, {
    error: {
      message: "Error from provider (Moonshot): This model's maximum context length is 262144 tokens",
    },
  });
  assert.equal(error.kind, "invalid_request_error");
  assert.equal(error.status, 400);
  assert.match(error.message, /^prompt is too long: /);
});

Deno.test("parseUpstreamError names the Go usage window and the reset time", () => {
  const error = parse(429, {
    type: "error",
    error: { type: "GoUsageLimitError", message: "limit", metadata: { limitName: "weekly" } },
  }, { "retry-after": "15000" });
  assert.equal(error.kind, "rate_limit_error");
  assert.equal(error.retryAfter, "15000");
  assert.match(error.message, /weekly usage limit/);
  assert.match(error.message, /in 4 hours 10 minutes/);
});

Deno.test("parseUpstreamError falls back to the status for OpenAI-shaped and plain bodies", () => {
  assert.equal(parse(503, "upstream connect error").kind, "overloaded_error");
  assert.equal(parse(500, { error: { message: "boom", type: "server_error" } }).kind, "api_error");
  assert.equal(parse(400, { error: { message: "bad field", type: "invalid_request_error" } }).status, 400);
});
