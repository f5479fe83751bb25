// The real server as a container starts it. Found: MODEL_* naming a model no service serves was accepted and
// failed every request later; offline, the catalog refresh failure was plain text in the JSON log, every
// minute; HOSTNAME (a container's name under Docker and Kubernetes) decided the listen address.
import * as assert from "node:assert/strict";
import { startGatewayProcess } from "../support/gateway_process.ts";

Deno.test("the real server refuses to start offline when MODEL_OPUS is not in the bundled snapshot", async () => {
  await assert.rejects(
    startGatewayProcess({
      MODEL_OPUS: "no-such-model-anywhere",
      MODELS_DEV_URL: "http://127.0.0.1:9/api.json",
      OPENCODE_GO_URL: "http://127.0.0.1:9/go",
      OPENCODE_ZEN_URL: "http://127.0.0.1:9/zen",
    }, { timeoutMs: 60_000 }),
    (error: Error) => {
      assert.match(error.message, /gateway exited \(1\) before listening/);
      assert.match(
        error.message,
        /Refusing to start.*\n {2}MODEL_OPUS=no-such-model-anywhere: Unknown model/,
      );
      // The refresh failure said, in one structured line, that the snapshot is in use.
      const refresh = error.message.split("\n").filter((line) => line.includes("catalog_refresh_failed"));
      assert.equal(refresh.length, 1);
      assert.equal(JSON.parse(refresh[0]).catalog_in_use, "bundled snapshot");
      return true;
    },
  );
});

Deno.test("the real server ignores a container's HOSTNAME when LISTEN_HOST is set, and says why it cannot listen otherwise", async () => {
  const offlineUrls = {
    MODELS_DEV_URL: "http://127.0.0.1:9/api.json",
    OPENCODE_GO_URL: "http://127.0.0.1:9/go",
    OPENCODE_ZEN_URL: "http://127.0.0.1:9/zen",
  };
  const gateway = await startGatewayProcess({ ...offlineUrls, HOSTNAME: "ocb-container-7f3a9c" });
  try {
    assert.match(gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(!gateway.lines().some((line) => line.includes("listen_host_from_hostname")));
  } finally {
    await gateway.stop();
  }
  await assert.rejects(
    startGatewayProcess({ ...offlineUrls, LISTEN_HOST: "", HOSTNAME: "ocb-container-7f3a9c" }, {
      timeoutMs: 60_000,
    }),
    (error: Error) => {
      assert.match(error.message, /"event":"listen_host_from_hostname"/);
      assert.match(
        error.message,
        /Cannot listen on ocb-container-7f3a9c:0 \(from HOSTNAME\).*Set LISTEN_HOST/,
      );
      return true;
    },
  );
});
