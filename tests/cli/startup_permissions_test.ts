/**
 * The startup path needs no file-system writes and no network beyond its own listening socket before the first
 * request (Deno Deploy's rule): the server runs with writes denied and the network limited to 127.0.0.1,
 * answers, and reports no permission error. Also: with no usable default KV it still serves.
 */
import assert from "node:assert/strict";
import { openGatewayKv } from "../../lib/cli/open_gateway_kv.ts";
import { startGatewayProcess } from "../support/gateway_process.ts";

Deno.test("the server starts and answers with writes denied and the network limited to loopback", async () => {
  const gateway = await startGatewayProcess({ KV_PATH: ":memory:" }, {
    permissions: ["--allow-env", "--allow-read", "--allow-net=127.0.0.1", "--deny-write"],
  });
  try {
    const hello = await fetch(`${gateway.url}/api/hello`);
    assert.equal(hello.status, 200);
    await hello.body?.cancel();
  } finally {
    await gateway.stop();
  }
  const text = gateway.lines().join("\n");
  assert.doesNotMatch(text, /NotCapable|PermissionDenied|Requires .* access/i, text);
  assert.match(text, /listening on http:\/\/127\.0\.0\.1:\d+/);
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
