import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseConfig } from "../lib/config.ts";
import { openGatewayWarning } from "../lib/open_gateway_warning.ts";
import { listenHost } from "../lib/listen_host.ts";

Deno.test("parseConfig applies the documented defaults", () => {
  const config = parseConfig({});
  assert.equal(config.PORT, 8787);
  assert.equal(listenHost(config).host, "127.0.0.1");
  assert.equal(config.OPENCODE_GO_URL, "https://opencode.ai/zen/go/v1");
  assert.equal(config.OPENCODE_ZEN_URL, "https://opencode.ai/zen/v1");
  assert.equal(config.OPENCODE_API_KEY, undefined);
  assert.equal(config.CATALOG_TTL_SECONDS, 3600);
  assert.equal(config.BODY_LIMIT_BYTES, 32 * 1024 * 1024);
});

Deno.test("parseConfig names every bad variable", () => {
  assert.throws(
    () => parseConfig({ PORT: "eighty", OPENCODE_GO_URL: "not a url" }),
    (error: unknown) =>
      error instanceof ConfigError && /PORT/.test(error.message) && /OPENCODE_GO_URL/.test(error.message),
  );
});

Deno.test("parseConfig treats empty variables as unset and splits GATEWAY_KEYS", () => {
  const config = parseConfig({ OPENCODE_API_KEY: "", GATEWAY_KEYS: "" });
  assert.equal(config.OPENCODE_API_KEY, undefined);
  assert.equal(config.GATEWAY_KEYS, undefined);
  const keys = ["gw-key-a-0123456789", "gw-key-b-0123456789", "gw-key-c-0123456789"];
  assert.deepEqual(
    parseConfig({ OPENCODE_API_KEY: "sk", GATEWAY_KEYS: `${keys[0]}, ${keys[1]},,${keys[2]}` }).GATEWAY_KEYS,
    keys,
  );
});

Deno.test("parseConfig refuses GATEWAY_KEYS without a server-side OPENCODE_API_KEY", () => {
  assert.throws(
    () => parseConfig({ GATEWAY_KEYS: "gw-key-1-0123456789" }),
    (error: unknown) =>
      error instanceof ConfigError && /OPENCODE_API_KEY: required when GATEWAY_KEYS/.test(error.message),
  );
});

Deno.test("parseConfig checks the MODEL_FALLBACKS format", () => {
  assert.equal(
    parseConfig({ MODEL_FALLBACKS: "kimi-k2.6=glm-5.1|deepseek-v4-pro, glm-5.1=kimi-k2.6" }).MODEL_FALLBACKS
      .length > 0,
    true,
  );
  assert.throws(
    () => parseConfig({ MODEL_FALLBACKS: "kimi-k2.6>glm-5.1" }),
    (error: unknown) =>
      error instanceof ConfigError && /MODEL_FALLBACKS: "kimi-k2.6>glm-5.1" is not/.test(error.message),
  );
});

/** A CONFIG_FILE holding `settings`, removed after `body`. */
async function withConfigFile(settings: Record<string, string>, body: (file: string) => Promise<void>) {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, JSON.stringify(settings));
    await body(file);
  } finally {
    await Deno.remove(file);
  }
}

const lockedFile = {
  GATEWAY_KEYS: "gw-key-from-file",
  OPENCODE_API_KEY: "sk-server-from-file",
  HOSTNAME: "0.0.0.0",
};

Deno.test("loadConfig: an empty GATEWAY_KEYS env var unset the CONFIG_FILE's keys and started the gateway open", async () => {
  // The gateway listened on 0.0.0.0 with no client key checked, spending the server's OPENCODE_API_KEY.
  await withConfigFile(lockedFile, async (file) => {
    assert.deepEqual((await loadConfig({ CONFIG_FILE: file })).GATEWAY_KEYS, ["gw-key-from-file"]);
    const config = await loadConfig({ CONFIG_FILE: file, GATEWAY_KEYS: "", OPENCODE_API_KEY: "" });
    assert.deepEqual(config.GATEWAY_KEYS, ["gw-key-from-file"], "an empty env value leaves the file's value");
    assert.equal(config.OPENCODE_API_KEY, "sk-server-from-file");
    // A non-empty env value still wins over the file.
    const overridden = await loadConfig({ CONFIG_FILE: file, GATEWAY_KEYS: "gw-key-from-env-1" });
    assert.deepEqual(overridden.GATEWAY_KEYS, ["gw-key-from-env-1"]);
  });
});

Deno.test("GATEWAY_KEYS of only separators parsed to no keys and started the gateway open", async () => {
  // `GATEWAY_KEYS=" , "` gave GATEWAY_KEYS [] with no error: every client got in.
  for (const value of [" , ", ",", "   "]) {
    assert.throws(
      () => parseConfig({ OPENCODE_API_KEY: "sk-server-abc", GATEWAY_KEYS: value }),
      (error: unknown) =>
        error instanceof ConfigError && /GATEWAY_KEYS: is set but lists no keys/.test(error.message),
      JSON.stringify(value),
    );
  }
  await withConfigFile(lockedFile, async (file) => {
    await assert.rejects(
      () => loadConfig({ CONFIG_FILE: file, GATEWAY_KEYS: " , " }),
      (error: unknown) => error instanceof ConfigError && /GATEWAY_KEYS/.test(error.message),
    );
  });
});

Deno.test("openGatewayWarning: a non-loopback HOSTNAME spending OPENCODE_API_KEY without GATEWAY_KEYS warns", () => {
  const open = openGatewayWarning(parseConfig({ HOSTNAME: "0.0.0.0", OPENCODE_API_KEY: "sk-server-abc" }));
  assert.match(open ?? "", /^WARNING: HOSTNAME=0\.0\.0\.0 .*GATEWAY_KEYS is unset.*OPENCODE_API_KEY/);
  // Each client's own key goes upstream: nothing of the server's to spend.
  assert.equal(openGatewayWarning(parseConfig({ HOSTNAME: "0.0.0.0" })), undefined);
  assert.equal(
    openGatewayWarning(
      parseConfig({
        HOSTNAME: "0.0.0.0",
        OPENCODE_API_KEY: "sk-server-abc",
        GATEWAY_KEYS: "gw-key-x1-0123456789",
      }),
    ),
    undefined,
  );
  for (const hostname of ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"]) {
    assert.equal(
      openGatewayWarning(parseConfig({ HOSTNAME: hostname, OPENCODE_API_KEY: "sk-server-abc" })),
      undefined,
      hostname,
    );
  }
  assert.ok(openGatewayWarning(parseConfig({ HOSTNAME: "192.168.1.10", OPENCODE_API_KEY: "sk-server-abc" })));
});
