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

Deno.test("deriveSessionId: a session hint that is no valid header value made the request a 500", async () => {
  // The client saw `500 Internal gateway error` (Headers: not a valid ByteString / Invalid header value).
  const unsafe = ["会话-1", "a\nb", "with space", "x".repeat(65)];
  for (const hint of unsafe) {
    const metadata = { user_id: JSON.stringify({ session_id: hint }) };
    const id = await deriveSessionId(new Headers(), { ...request, metadata }, "key");
    assert.match(id, /^ocb-[0-9a-f]{8}-s[0-9a-f]{32}$/, JSON.stringify(hint));
    // Usable as a header, and stable per conversation.
    new Headers({ "x-opencode-session": id });
    assert.equal(id, await deriveSessionId(new Headers(), { ...request, metadata }, "key"));
  }
  const ids = await Promise.all(
    unsafe.map((hint) =>
      deriveSessionId(new Headers(), {
        ...request,
        metadata: { user_id: JSON.stringify({ session_id: hint }) },
      }, "key")
    ),
  );
  assert.equal(new Set(ids).size, unsafe.length, "distinct hints stay distinct sessions");
  // A header hint (any byte a header allows) goes through the same rule.
  assert.match(
    await deriveSessionId(new Headers({ "x-session-affinity": "a b" }), request, "key"),
    /^ocb-[0-9a-f]{8}-s[0-9a-f]{32}$/,
  );
  // A plain token of up to 64 characters is used as it is.
  for (const hint of ["abc-123", "a.b_c:d", "x".repeat(64)]) {
    const headers = new Headers({ "x-claude-code-session-id": hint });
    assert.ok((await deriveSessionId(headers, request, "key")).endsWith(`-${hint}`), hint);
  }
});
