import assert from "node:assert/strict";
import { deriveSessionId, sessionFromUserId } from "../../lib/upstream/session_id.ts";

const request = { messages: [{ role: "user" as const, content: "hello there" }] };

Deno.test("sessionFromUserId reads Claude Code's JSON and legacy forms", () => {
  assert.equal(sessionFromUserId('{"device_id":"d","account_uuid":"","session_id":"abc-123"}'), "abc-123");
  assert.equal(sessionFromUserId("user_ff_account_x_session_9f8e-77"), "9f8e-77");
  assert.equal(sessionFromUserId("something else"), undefined);
  assert.equal(sessionFromUserId(undefined), undefined);
});

Deno.test("deriveSessionId prefers the Claude Code header, then metadata, then the first message", async () => {
  const header = await deriveSessionId(new Headers({ "x-claude-code-session-id": "s-1" }), request, "key");
  assert.match(header, /^ocb-[0-9a-f]{8}-s-1$/);
  const metadata = await deriveSessionId(
    new Headers(),
    { ...request, metadata: { user_id: '{"session_id":"s-2"}' } },
    "key",
  );
  assert.match(metadata, /-s-2$/);
  const hashed = await deriveSessionId(new Headers(), request, "key");
  assert.equal(hashed, await deriveSessionId(new Headers(), request, "key"), "stable per conversation");
  assert.notEqual(
    hashed,
    await deriveSessionId(new Headers(), { messages: [{ role: "user", content: "x" }] }, "key"),
  );
});

Deno.test("deriveSessionId namespaces by key so two users never share a session", async () => {
  const headers = new Headers({ "x-claude-code-session-id": "same" });
  assert.notEqual(
    await deriveSessionId(headers, request, "alice"),
    await deriveSessionId(headers, request, "bob"),
  );
});
