// Keys and access: GATEWAY_KEYS (constant-time, x-api-key or Bearer, upstream key from OPENCODE_API_KEY),
// zero-config key pass-through, and the x-upstream-url override (off by default, allowlist, no private hosts).
import * as assert from "node:assert/strict";
import { parseConfig } from "../../lib/config.ts";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import { constantTimeEqual } from "../../lib/http/auth.ts";
import { isPrivateHost } from "../../lib/upstream/upstream_override.ts";
import { resolveUpstreamOverride } from "../../lib/upstream/resolve_override.ts";
import { fakeDns } from "../support/fake_dns.ts";
import {
  familyOfUrl,
  GO_URL,
  makeGateway,
  messagesRequest,
  scriptedAnswer,
  simpleBody,
} from "../support/reliability_harness.ts";
import { defaultQuirkCapabilities } from "../../lib/catalog/quirks.ts";

const answer = (call: { url: string }) => scriptedAnswer(familyOfUrl(call.url));
const upstreamKey = (headers: Headers) => headers.get("authorization")?.replace(/^Bearer /, "");

Deno.test("GATEWAY_KEYS: a missing or wrong key is a 401 before any upstream call", async () => {
  const { handler, calls } = makeGateway(
    { GATEWAY_KEYS: "gw-key-one,gw-key-two", OPENCODE_API_KEY: "sk-up" },
    answer,
  );
  for (const key of [undefined, "gw-key-on", "gw-key-one2", "sk-up"]) {
    const response = await handler(messagesRequest(simpleBody(), { key }));
    assert.equal(response.status, 401, String(key));
    assert.equal((await response.json()).error.type, "authentication_error");
  }
  const bearer = await handler(messagesRequest(simpleBody(), { headers: { authorization: "Bearer nope" } }));
  assert.equal(bearer.status, 401);
  await bearer.body?.cancel();
  assert.equal(calls.length, 0);
});

Deno.test("GATEWAY_KEYS: any listed key passes (x-api-key or Bearer) and OPENCODE_API_KEY goes upstream", async () => {
  const { handler, calls } = makeGateway(
    { GATEWAY_KEYS: "gw-key-one,gw-key-two", OPENCODE_API_KEY: "sk-up" },
    answer,
  );
  const viaHeader = await handler(messagesRequest(simpleBody(), { key: "gw-key-two" }));
  const viaBearer = await handler(
    messagesRequest(simpleBody(), { headers: { authorization: "Bearer gw-key-one" } }),
  );
  assert.equal(viaHeader.status, 200);
  assert.equal(viaBearer.status, 200);
  await viaHeader.body?.cancel();
  await viaBearer.body?.cancel();
  assert.deepEqual(calls.map((call) => upstreamKey(call.headers)), ["sk-up", "sk-up"]);
});

Deno.test("without GATEWAY_KEYS the client's key goes upstream, and no key at all is a 401 with no upstream call", async () => {
  const { handler, calls } = makeGateway({}, answer);
  const missing = await handler(messagesRequest(simpleBody()));
  assert.equal(missing.status, 401);
  assert.match((await missing.json()).error.message, /Missing API key/);
  assert.equal(calls.length, 0);
  const ok = await handler(messagesRequest(simpleBody(), { key: "sk-client-own" }));
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(upstreamKey(calls[0].headers), "sk-client-own");
});

Deno.test("constantTimeEqual compares whole strings of any length", () => {
  assert.ok(constantTimeEqual("abc", "abc"));
  assert.ok(!constantTimeEqual("abc", "abd"));
  assert.ok(!constantTimeEqual("abc", "abcd"));
  assert.ok(!constantTimeEqual("", "a"));
  assert.ok(constantTimeEqual("ключ", "ключ"));
});

const overrideConfig = (hosts?: string, allowPrivate = false) =>
  parseConfig({
    UPSTREAM_URL_OVERRIDE_HOSTS: hosts,
    UPSTREAM_URL_ALLOW_PRIVATE: allowPrivate ? "1" : undefined,
  });
const model = {
  requested: "kimi-k2.6",
  service: "go" as const,
  baseUrl: GO_URL,
  family: "openai-chat" as const,
  upstreamModel: "kimi-k2.6",
  limits: { context: 1000, output: 100 },
  capabilities: {
    reasoning: true,
    toolCall: true,
    image: false,
    pdf: false,
    interleavedField: null,
    efforts: null,
    temperature: true,
    ...defaultQuirkCapabilities,
  },
  matchedBy: "exact",
};
const overrideTo = async (url: string, hosts?: string, allowPrivate = false) =>
  (await resolveUpstreamOverride(
    new Headers({ "x-upstream-url": url }),
    overrideConfig(hosts, allowPrivate),
    {
      fetch,
      resolveDns: fakeDns(),
    },
  ))?.baseUrl ?? model.baseUrl;

Deno.test("x-upstream-url is ignored unless UPSTREAM_URL_OVERRIDE_HOSTS is set", async () => {
  assert.equal(await overrideTo("https://evil.example/v1"), GO_URL);
});

Deno.test("x-upstream-url: allowlisted hosts pass, others are 403", async (t) => {
  const hosts = "proxy.example.com,*.corp.example,gw.example:8443";
  const cases: [string, string | number][] = [
    ["https://proxy.example.com/v1/", "https://proxy.example.com/v1"],
    ["https://PROXY.example.com/v1?x=1#y", "https://proxy.example.com/v1"],
    ["https://a.corp.example/zen/go/v1", "https://a.corp.example/zen/go/v1"],
    ["https://gw.example:8443/v1", "https://gw.example:8443/v1"],
    ["https://corp.example/v1", 403],
    ["https://proxy.example.com.evil.net/v1", 403],
    ["https://gw.example/v1", 403],
    ["https://evil.example/v1", 403],
    ["ftp://proxy.example.com/v1", 400],
    ["https://user:pw@proxy.example.com/v1", 400],
    ["not a url", 400],
  ];
  for (const [url, expected] of cases) {
    await t.step(url, async () => {
      if (typeof expected === "string") return assert.equal(await overrideTo(url, hosts), expected);
      await assert.rejects(
        () => overrideTo(url, hosts),
        (error) => error instanceof GatewayError && error.status === expected,
      );
    });
  }
});

Deno.test("x-upstream-url never reaches loopback, private or link-local addresses unless allowed", async (t) => {
  const privateUrls = [
    "http://localhost:8080/v1",
    "http://api.localhost/v1",
    "http://127.0.0.1/v1",
    "http://127.1/v1",
    "http://0x7f.0.0.1/v1",
    "http://2130706433/v1",
    "http://10.1.2.3/v1",
    "http://172.20.0.1/v1",
    "http://192.168.1.1/v1",
    "http://169.254.169.254/latest",
    "http://100.64.0.1/v1",
    "http://0.0.0.0/v1",
    "http://[::1]/v1",
    "http://[::]/v1",
    "http://[fe80::1]/v1",
    "http://[fd00::1]/v1",
    "http://[::ffff:127.0.0.1]/v1",
    "http://[::ffff:10.0.0.1]/v1",
  ];
  const hosts = privateUrls.map((url) => new URL(url).host).join(",");
  for (const url of privateUrls) {
    await t.step(url, async () => {
      await assert.rejects(
        () => overrideTo(url, hosts),
        (error) =>
          error instanceof GatewayError && error.status === 403 && /private or loopback/.test(error.message),
      );
      assert.notEqual(await overrideTo(url, hosts, true), GO_URL);
    });
  }
  assert.ok(!isPrivateHost("8.8.8.8"));
  assert.ok(!isPrivateHost("[2606:4700::1111]"));
  assert.ok(!isPrivateHost("172.32.0.1"));
});

Deno.test("x-upstream-url through the gateway: allowed host is used; a refused one is 403 with no upstream call", async () => {
  const { handler, calls } = makeGateway({ UPSTREAM_URL_OVERRIDE_HOSTS: "proxy.example.com" }, answer);
  const ok = await handler(
    messagesRequest(simpleBody(), {
      key: "sk-c",
      headers: { "x-upstream-url": "https://proxy.example.com/v1" },
    }),
  );
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(calls[0].url, "https://proxy.example.com/v1/chat/completions");
  const refused = await handler(
    messagesRequest(simpleBody(), { key: "sk-c", headers: { "x-upstream-url": "http://127.0.0.1:9/v1" } }),
  );
  assert.equal(refused.status, 403);
  assert.equal((await refused.json()).error.type, "permission_error");
  assert.equal(calls.length, 1);
});
