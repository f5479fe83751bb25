import assert from "node:assert/strict";
import OpenAI from "openai";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import type { ResolvedModel } from "../../lib/catalog/types.ts";
import { parseConfig } from "../../lib/config.ts";
import { openGatewayWarning } from "../../lib/open_gateway_warning.ts";
import type { UpstreamCall } from "../../lib/hub/wire_format.ts";
import { authHeaderNames, configuredSecrets, providerRequest } from "../../lib/providers/provider_request.ts";
import { providersSchema } from "../../lib/providers/provider_schema.ts";
import { dataFrames, serveGateway, sseResponse, startFakeUpstream } from "../support/fake_upstream.ts";
import { testGateway } from "../support/log_tap.ts";

const encoder = new TextEncoder();

function configWith(providers: unknown[], settings: Record<string, string> = {}) {
  return parseConfig({ LOG_LEVEL: "silent", ...settings }, providersSchema.parse(providers));
}

function callFor(
  service: string,
  family: ResolvedModel["family"],
  clientHeaders: HeadersInit = {},
): UpstreamCall {
  return {
    model: { service, family, baseUrl: "x", upstreamModel: "m" } as ResolvedModel,
    apiKey: "sk-opencode-server-key-0000",
    sessionId: "session-1",
    clientHeaders: new Headers(clientHeaders),
  };
}

/** What a wire format built before the hook: OpenCode's auth and session headers. */
function built(url = "http://127.0.0.1:1/v1/chat/completions") {
  return {
    url,
    body: "{}",
    headers: {
      authorization: "Bearer sk-opencode-server-key-0000",
      "x-opencode-session": "session-1",
      "x-opencode-client": "opencode-bridge",
      "content-type": "application/json",
    } as Record<string, string>,
  };
}

const provider = (extra: Record<string, unknown>) => ({
  name: "p",
  baseUrl: "http://127.0.0.1:1/v1",
  format: "openai-chat",
  models: [{ id: "m" }],
  ...extra,
});

Deno.test("providerRequest: a provider without apiKey gets the client's own key, never the server's", () => {
  const config = configWith([provider({})], { OPENCODE_API_KEY: "sk-opencode-server-key-0000" });
  const sent = providerRequest(built(), callFor("p", "openai-chat", { "x-api-key": "client-key-1" }), config);
  assert.equal(new Headers(sent.headers).get("authorization"), "Bearer client-key-1");
  assert.equal(new Headers(sent.headers).get("x-opencode-session"), null);
  assert.equal(new Headers(sent.headers).get("x-opencode-client"), null);
  assert.equal(new Headers(sent.headers).get("content-type"), "application/json");
});

Deno.test("providerRequest: with GATEWAY_KEYS the client's (gateway) key is not passed on", () => {
  const config = configWith([provider({})], {
    GATEWAY_KEYS: "gw-key-1-long-enough",
    OPENCODE_API_KEY: "sk-server",
  });
  const sent = providerRequest(
    built(),
    callFor("p", "openai-chat", { authorization: "Bearer gw-key-1-long-enough" }),
    config,
  );
  assert.equal(new Headers(sent.headers).get("authorization"), null);
});

Deno.test("providerRequest: the key goes in the header the provider's format reads", async (t) => {
  const cases = [
    { format: "openai-chat", header: "authorization", value: "Bearer k-format-test-123" },
    { format: "openai-responses", header: "authorization", value: "Bearer k-format-test-123" },
    { format: "anthropic", header: "x-api-key", value: "k-format-test-123" },
    { format: "gemini", header: "x-goog-api-key", value: "k-format-test-123" },
  ];
  for (const { format, header, value } of cases) {
    await t.step(format, () => {
      const config = configWith([provider({ format, apiKey: "k-format-test-123" })]);
      const sent = providerRequest(built(), callFor("p", format as ResolvedModel["family"]), config);
      assert.equal(new Headers(sent.headers).get(header), value);
      for (const other of authHeaderNames) {
        if (other !== header) assert.equal(new Headers(sent.headers).get(other), null, other);
      }
    });
  }
});

Deno.test("providerRequest: Azure gets api-key and its api-version query", () => {
  const config = configWith([provider({ apiKey: "az-test-key-9", azure: { apiVersion: "2024-10-21" } })]);
  const sent = providerRequest(
    built("https://r.openai.azure.com/openai/deployments/d/chat/completions"),
    callFor("p", "openai-chat"),
    config,
  );
  assert.equal(
    sent.url,
    "https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21",
  );
  assert.equal(new Headers(sent.headers).get("api-key"), "az-test-key-9");
  assert.equal(new Headers(sent.headers).get("authorization"), null);
});

Deno.test("providerRequest: OpenCode calls get CUSTOM_HEADER_* and keep their own auth and session", () => {
  const config = configWith([], { CUSTOM_HEADER_X_TITLE: "my-gateway" });
  const sent = providerRequest(built(), callFor("go", "openai-chat"), config);
  assert.equal(new Headers(sent.headers).get("x-title"), "my-gateway");
  assert.equal(new Headers(sent.headers).get("authorization"), "Bearer sk-opencode-server-key-0000");
  assert.equal(new Headers(sent.headers).get("x-opencode-session"), "session-1");
});

Deno.test("configuredSecrets: provider keys and secret-looking header values, not plain ones", () => {
  const config = configWith([
    provider({ apiKey: "literal-key-1", headers: { "X-Title": "my-gateway", "X-Team-Token": "t0k" } }),
  ], { CUSTOM_HEADER_X_ORG: "org_2f8Kq93LmZp0aXv7Yt1Rw4Hd" });
  assert.deepEqual(configuredSecrets(config).sort(), [
    "literal-key-1",
    "org_2f8Kq93LmZp0aXv7Yt1Rw4Hd",
    "t0k",
  ]);
});

Deno.test("CUSTOM_HEADER_* reaches OpenCode Go through the gateway, and stays out of the log when secret", async () => {
  const chunk = { id: "c", object: "chat.completion.chunk", created: 1, model: "kimi-k2.6" };
  const upstream = startFakeUpstream(() =>
    sseResponse([encoder.encode(dataFrames([
      { ...chunk, choices: [{ index: 0, delta: { role: "assistant", content: "hi" }, finish_reason: null }] },
      { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    ]))])
  );
  const secret = "sess_9fK2mQ7xLp3Zr8Vt1Yw6Hb4N";
  const config = parseConfig({
    OPENCODE_GO_URL: upstream.url,
    CUSTOM_HEADER_X_TITLE: "my-gateway",
    CUSTOM_HEADER_X_PROXY_SESSION: secret,
    LOG_LEVEL: "debug",
    LOG_BODIES: "1",
  });
  const catalog = createCatalog(config, {
    fetch: () => Promise.reject(new TypeError("offline")),
    log: () => {},
  });
  const lines: string[] = [];
  const gateway = serveGateway(testGateway(config, { catalog, log: (line) => lines.push(line) }));
  try {
    const client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: "sk-client-opencode-key",
      maxRetries: 0,
    });
    const answer = await client.chat.completions.create({
      model: "kimi-k2.6",
      stream: true,
      messages: [{ role: "user", content: `my header is ${secret}` }],
    });
    for await (const _ of answer) { /* drain */ }
    const headers = upstream.requests[0].headers;
    assert.equal(headers.get("x-title"), "my-gateway");
    assert.equal(headers.get("x-proxy-session"), secret);
    assert.equal(headers.get("authorization"), "Bearer sk-client-opencode-key");
    assert(!lines.join("\n").includes(secret), "a secret-looking custom header value is in the log");
  } finally {
    await catalog.settled();
    await gateway.close();
    await upstream.close();
  }
});

Deno.test("openGatewayWarning names a provider's key a non-loopback gateway would spend", () => {
  const config = configWith([provider({ apiKey: "literal-key-1" })], { HOSTNAME: "0.0.0.0" });
  assert.match(openGatewayWarning(config) ?? "", /can spend provider p's key\. Set GATEWAY_KEYS/);
  // A provider that passes the client's own key on spends nothing of the server's.
  assert.equal(openGatewayWarning(configWith([provider({})], { HOSTNAME: "0.0.0.0" })), undefined);
});
