// Settings found wanting by a new user: HOSTNAME (set by Docker/Kubernetes to the container's name) decided
// the listen address; 2-character GATEWAY_KEYS were accepted and short keys were not redacted from logged
// bodies; the Zen fallback could not be turned off, and `gpt-5.5` on `/go` did not say that Zen serves it.
import * as assert from "node:assert/strict";
import { createCatalog } from "../lib/catalog/catalog.ts";
import { resolveModel } from "../lib/catalog/resolve_model.ts";
import { ConfigError, configSchema, parseConfig } from "../lib/config.ts";
import { openGatewayWarning } from "../lib/open_gateway_warning.ts";
import { listenHost } from "../lib/listen_host.ts";
import { makeGateway, messagesRequest, scriptedAnswer, simpleBody } from "./support/reliability_harness.ts";

const offline: typeof fetch = () => Promise.reject(new TypeError("offline"));

async function snapshotData(settings: Record<string, string> = {}) {
  const config = parseConfig({ LOG_LEVEL: "silent", ...settings });
  const catalog = createCatalog(config, { fetch: offline, log: () => {} });
  const data = await catalog.data();
  await catalog.settled();
  return { config, data, catalog };
}

Deno.test("LISTEN_HOST decides the listen address; HOSTNAME only when nothing else is set, with a warning", () => {
  const both = listenHost(parseConfig({ LISTEN_HOST: "0.0.0.0", HOSTNAME: "3f2a9c1e7b4d" }));
  assert.deepEqual(both, { host: "0.0.0.0", setting: "LISTEN_HOST" });
  assert.deepEqual(listenHost(parseConfig({})), { host: "127.0.0.1", setting: "default" });
  const legacy = listenHost(parseConfig({ HOSTNAME: "3f2a9c1e7b4d" }));
  assert.equal(legacy.host, "3f2a9c1e7b4d");
  assert.match(
    legacy.warning ?? "",
    /HOSTNAME=3f2a9c1e7b4d is used .* LISTEN_HOST is unset.*container's name/,
  );
  // The open-gateway warning names the setting that chose the address.
  const open = openGatewayWarning(parseConfig({ LISTEN_HOST: "0.0.0.0", OPENCODE_API_KEY: "sk-server-abc" }));
  assert.match(open ?? "", /^WARNING: LISTEN_HOST=0\.0\.0\.0 is not a loopback address/);
  // In a container with LISTEN_HOST=127.0.0.1 the container name in HOSTNAME is ignored.
  assert.equal(
    openGatewayWarning(
      parseConfig({ LISTEN_HOST: "127.0.0.1", HOSTNAME: "0.0.0.0", OPENCODE_API_KEY: "sk-server-abc" }),
    ),
    undefined,
  );
});

Deno.test("GATEWAY_KEYS entries shorter than 16 characters are refused at startup, without printing them", () => {
  for (const keys of ["Zq", "gw-KEY-15-chars", "gw-key-long-enough-1,Xshort1"]) {
    assert.throws(
      () => parseConfig({ GATEWAY_KEYS: keys, OPENCODE_API_KEY: "sk-server-abc" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /GATEWAY_KEYS: entry \d is \d+ characters; gateway keys must be at least 16/,
        );
        assert.match(error.message, /openssl rand -hex 24/);
        for (const key of keys.split(",").filter((key) => key.length < 16)) {
          assert.ok(!error.message.includes(key), error.message);
        }
        return true;
      },
    );
  }
  assert.deepEqual(
    parseConfig({ GATEWAY_KEYS: "gw-key-exactly-16", OPENCODE_API_KEY: "sk-server-abc" }).GATEWAY_KEYS,
    ["gw-key-exactly-16"],
  );
});

Deno.test("every setting this hardening added carries a description", () => {
  for (const name of ["LISTEN_HOST", "HOSTNAME", "JSON_MAX_DEPTH", "MODEL_NAME_MAX_LENGTH", "ZEN_FALLBACK"]) {
    const shape = configSchema.shape as Record<string, { description?: string }>;
    assert.ok((shape[name]?.description ?? "").length > 20, name);
  }
});

// Found: keys under 4 characters were skipped by the log scrubber.
Deno.test("configured keys are redacted from logged bodies whatever their length", async () => {
  for (const upstreamKey of ["q", "q7", "q7x", "q7xZ"]) {
    const { handler, logs } = makeGateway({
      OPENCODE_API_KEY: upstreamKey,
      GATEWAY_KEYS: "gw-key-redaction-0123",
      LOG_BODIES: "1",
    }, () => scriptedAnswer("openai-chat"));
    const body = simpleBody("kimi-k2.6", {
      messages: [{
        role: "user",
        content: `The upstream key is ${upstreamKey}; the gateway key gw-key-redaction-0123`,
      }],
    });
    const response = await handler(messagesRequest(body, { key: "gw-key-redaction-0123" }));
    assert.equal(response.status, 200);
    await response.text();
    const line = logs.find((candidate) => candidate.includes('"request_body"'));
    assert.ok(line, "a request line with its body");
    const parsed = JSON.parse(line);
    const logged = JSON.stringify(parsed.request_body);
    assert.ok(!logged.includes(`key is ${upstreamKey};`), logged);
    assert.ok(!line.includes("gw-key-redaction-0123"));
    assert.match(logged, /The upstream key is \[redacted\]; the gateway key \[redacted\]/);
  }
});

Deno.test("ZEN_FALLBACK=0 keeps the default route on Go and says how to reach Zen", async () => {
  const on = await snapshotData();
  assert.equal(resolveModel(on.data, on.config, "gpt-5.5").matchedBy, "zen-fallback");
  const off = await snapshotData({ ZEN_FALLBACK: "0" });
  assert.throws(
    () => resolveModel(off.data, off.config, "gpt-5.5"),
    /Unknown model gpt-5\.5: not served by OpenCode Go\. OpenCode Zen serves gpt-5\.5, but the Zen fallback is off \(ZEN_FALLBACK=0\): name it opencode\/gpt-5\.5 or use the \/zen route/,
  );
  assert.equal(resolveModel(off.data, off.config, "opencode/gpt-5.5").service, "zen");
  assert.equal(resolveModel(off.data, off.config, "gpt-5.5", { service: "zen" }).service, "zen");
  assert.equal(resolveModel(off.data, off.config, "claude-zen-gpt-5.5").service, "zen");
  const listed = (await off.catalog.list()).map((listing) => listing.id);
  assert.ok(
    !listed.includes("gpt-5.5") && listed.includes("claude-zen-gpt-5.5") && listed.includes("kimi-k2.6"),
  );
  assert.ok((await on.catalog.list()).some((listing) => listing.id === "gpt-5.5"));
});

Deno.test("a model asked of the wrong route names the service that serves it and the route to use", async () => {
  const { data, config } = await snapshotData();
  assert.throws(
    () => resolveModel(data, config, "gpt-5.5", { service: "go" }),
    /not served by OpenCode Go\. OpenCode Zen serves gpt-5\.5: use the \/zen route \(base URL …\/zen\) or the default route instead of \/go/,
  );
  assert.throws(
    () => resolveModel(data, config, "glm-5.3", { service: "zen" }),
    /not served by OpenCode Zen\. OpenCode Go serves glm-5\.3: use the \/go route/,
  );
  // A name served nowhere still gets close matches.
  assert.throws(
    () => resolveModel(data, config, "kimi-k2.66", { service: "go" }),
    /Close matches: kimi-k2\.6/,
  );
});
