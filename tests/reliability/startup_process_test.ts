// The real server as a container starts it. Found: MODEL_* naming a model no service serves was accepted and
// failed every request later; offline, the catalog refresh failure was plain text in the JSON log, every
// minute; HOSTNAME (a container's name under Docker and Kubernetes) decided the listen address.
import * as assert from "node:assert/strict";
import { configPath, mainPath } from "../support/deno_process.ts";
import { processEnv, startGatewayProcess } from "../support/gateway_process.ts";
import { logTap } from "../support/log_tap.ts";

const offlineUrls = {
  MODELS_DEV_URL: "http://127.0.0.1:9/api.json",
  OPENCODE_GO_URL: "http://127.0.0.1:9/go",
  OPENCODE_ZEN_URL: "http://127.0.0.1:9/zen",
};

/**
 * Runs main.ts to its exit with exactly `env` (a gateway that starts is killed after 60 s: the test then
 * fails on its exit code) and returns the code and every stderr line, read to the end.
 */
async function runToExit(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  const kvDir = await Deno.makeTempDir({ prefix: "ocb-kv-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `--config=${configPath}`, mainPath],
      env: { ...processEnv(kvDir), ...offlineUrls, ...env },
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const output = await child.output();
    clearTimeout(timer);
    const lines = new TextDecoder().decode(output.stderr).split("\n").filter((line) => line !== "");
    for (const line of lines) if (line.startsWith("{")) logTap(line);
    return { code: output.code, lines };
  } finally {
    await Deno.remove(kvDir, { recursive: true }).catch(() => {});
  }
}

Deno.test("the real server refuses to start offline when MODEL_OPUS is not in the bundled snapshot", async () => {
  const { code, lines } = await runToExit({ LISTEN_HOST: "127.0.0.1", MODEL_OPUS: "no-such-model-anywhere" });
  const text = lines.join("\n");
  assert.equal(code, 1, text);
  assert.match(text, /Refusing to start.*\n {2}MODEL_OPUS=no-such-model-anywhere: Unknown model/);
  assert.ok(!text.includes("listening on"), text);
  // The refresh failure said, in one structured line, that the snapshot is in use.
  const refresh = lines.filter((line) => line.includes("catalog_refresh_failed"));
  assert.equal(refresh.length, 1, text);
  assert.equal(JSON.parse(refresh[0]).catalog_in_use, "bundled snapshot");
});

Deno.test("the real server ignores a container's HOSTNAME when LISTEN_HOST is set, and says why it cannot listen otherwise", async () => {
  const gateway = await startGatewayProcess({ ...offlineUrls, HOSTNAME: "ocb-container-7f3a9c" });
  try {
    assert.match(gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(!gateway.lines().some((line) => line.includes("listen_host_from_hostname")));
  } finally {
    await gateway.stop();
  }
  const { code, lines } = await runToExit({ HOSTNAME: "ocb-container-7f3a9c" });
  const text = lines.join("\n");
  assert.equal(code, 1, text);
  assert.match(text, /"event":"listen_host_from_hostname"/);
  assert.match(text, /Cannot listen on ocb-container-7f3a9c:0 \(from HOSTNAME\).*Set LISTEN_HOST/);
});
