/**
 * The startup path needs no file-system writes and no network beyond its own listening socket before the first
 * request (Deno Deploy's rule): the server runs with writes denied and the network limited to 127.0.0.1,
 * answers, and reports no permission error. Also: with no usable default KV it still serves.
 */
import assert from "node:assert/strict";
import { openGatewayKv } from "../../lib/cli/open_gateway_kv.ts";

const mainPath = decodeURIComponent(new URL("../../main.ts", import.meta.url).pathname);
const configPath = decodeURIComponent(new URL("../../deno.json", import.meta.url).pathname);

async function serveRestricted(env: Record<string, string>, permissions: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", `--config=${configPath}`, ...permissions, mainPath],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? "",
      NO_COLOR: "1",
      PORT: "0",
      ...env,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const listening = Promise.withResolvers<string>();
  const reading = (async () => {
    let pending = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        lines.push(line);
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match) listening.resolve(match[1]);
      }
    }
    listening.reject(new Error(`exited before listening:\n${lines.join("\n")}`));
  })();
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const url = await listening.promise;
    const hello = await fetch(`${url}/api/hello`);
    assert.equal(hello.status, 200);
    await hello.body?.cancel();
    return lines;
  } finally {
    clearTimeout(timer);
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await reading.catch(() => {});
  }
}

Deno.test("the server starts and answers with writes denied and the network limited to loopback", async () => {
  const lines = await serveRestricted({ KV_PATH: ":memory:", HOSTNAME: "127.0.0.1" }, [
    "--allow-env",
    "--allow-read",
    "--allow-net=127.0.0.1",
    "--deny-write",
  ]);
  const text = lines.join("\n");
  assert.doesNotMatch(text, /NotCapable|PermissionDenied|Requires .* access/i, text);
  assert.match(text, /keys: none on the server/);
});

Deno.test("without a usable default KV the server warns and serves; a broken KV_PATH stops it", async () => {
  const failing = () => Promise.reject(new Error("no database attached"));
  const said: string[] = [];
  const open = await openGatewayKv(undefined, (line) => said.push(line), failing);
  assert.deepEqual(open, {});
  assert.deepEqual(said, [
    "Deno KV is not available (no database attached); the model catalog is cached in memory only.",
  ]);
  const chosen = await openGatewayKv("/var/lib/kv.sqlite", (line) => said.push(line), failing);
  assert.equal(chosen.fatal, "Cannot open Deno KV at KV_PATH=/var/lib/kv.sqlite: no database attached");
  const memory = await openGatewayKv(":memory:", (line) => said.push(line));
  assert.ok(memory.kv);
  memory.kv.close();
});
