// An upstream that cannot be reached is the upstream's fault, not the gateway's: a 502 that names where the
// gateway tried to go, in the client's own format.
import * as assert from "node:assert/strict";
import { makeGateway, messagesRequest, simpleBody } from "../support/reliability_harness.ts";

Deno.test("a refused upstream connection is a 502 naming the upstream it tried, not a 500", async () => {
  const { handler } = makeGateway(
    { RETRIES: "0" },
    () => Promise.reject(new TypeError("Connection refused")),
  );
  const response = await handler(messagesRequest(simpleBody(), { key: "sk-client-key" }));
  assert.equal(response.status, 502);
  const body = await response.json();
  assert.equal(body.type, "error");
  assert.equal(body.error.type, "api_error");
  assert.match(body.error.message, /^OpenCode Go \(go\.test\) could not be reached: /);
  assert.match(body.error.message, /refused/i);
});

Deno.test("a refused upstream connection is a 502 server_error for OpenAI clients", async () => {
  const { handler } = makeGateway(
    { RETRIES: "0" },
    () => Promise.reject(new TypeError("Connection refused")),
  );
  const request = new Request("http://gateway.test/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-client-key" },
    body: JSON.stringify({ model: "kimi-k2.6", messages: [{ role: "user", content: "Hi" }] }),
  });
  const response = await handler(request);
  assert.equal(response.status, 502);
  const body = await response.json();
  assert.equal(body.error.type, "server_error");
  assert.match(body.error.message, /^OpenCode Go \(go\.test\) could not be reached: .*refused/i);
});
