/**
 * Issue 12: nothing a request allocates may outlive it. 10,000 requests of every client/upstream pairing,
 * stream and non-stream, plain and tool-calling, go through the gateway in-process (the load benchmark's fake
 * upstream answers, every answer is checked). Warm-up leaves a one-off ~1 MiB behind (compiled code and type
 * feedback settle over thousands of requests), so the check is per half: after a full GC, the second 5,000
 * requests may add no more than 100 bytes a request; a per-request leak grows both halves alike.
 */
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { checkResponse } from "../../bench/load/check_response.ts";
import { answer } from "../../bench/load/fake_upstream.ts";
import { families, modelId, replyFor } from "../../bench/load/replies.ts";
import { benchRequest, type ClientFormat, gatewayPath } from "../../bench/load/requests.ts";
import { runConcurrent } from "../../bench/load/load_client.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const pairings: [ClientFormat, typeof families[number]][] = [
  ["anthropic", "openai-chat"],
  ["anthropic", "anthropic"],
  ["anthropic", "openai-responses"],
  ["anthropic", "gemini"],
  ["openai-chat", "openai-chat"],
  ["openai-responses", "openai-responses"],
];

async function heap(): Promise<{ used: number; external: number }> {
  // One turn of the event loop first: in-process requests that never wait on I/O leave what the loop frees when
  // it next runs (4.4 KB a request once the session hash became synchronous, gone after this one turn).
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  gc();
  const usage = Deno.memoryUsage();
  return { used: usage.heapUsed, external: usage.external };
}

Deno.test("10,000 requests leave the heap where it was", async () => {
  const models = families.flatMap((family) =>
    (["tiny", "tool"] as const).map((variant) => ({ id: modelId(family, variant), family, reasoning: false }))
  );
  const catalog = fakeCatalog(models, { go: "http://upstream.invalid" });
  const fetch =
    ((input: RequestInfo | URL, init?: RequestInit) =>
      answer(new Request(input, init))) as typeof globalThis.fetch;
  let lines = 0;
  const gateway = testGateway(testConfig({ OPENCODE_API_KEY: "leak-test-key", LOG_LEVEL: "info" }), {
    catalog,
    fetch,
    log: () => lines++,
  });
  const requests = pairings.flatMap(([client, upstream]) =>
    [false, true].flatMap((stream) =>
      (["tiny", "tool"] as const).map((variant) => benchRequest(client, upstream, variant, "tiny", stream))
    )
  );
  const send = async (index: number) => {
    const request = requests[index % requests.length];
    const response = await gateway(
      new Request(`http://gateway.test${gatewayPath[request.client]}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "client-key" },
        body: request.body,
      }),
    );
    const text = await response.text();
    assert.equal(response.status, 200, text);
    checkResponse(request.client, request.stream, text, replyFor(JSON.parse(request.body).model)!);
  };
  await runConcurrent(2_000, 16, send);
  const start = await heap();
  await runConcurrent(5_000, 16, send);
  const middle = await heap();
  await runConcurrent(5_000, 16, send);
  const end = await heap();
  assert.equal(lines, 12_000);
  const perRequest = (end.used - middle.used) / 5_000;
  const externalPerRequest = (end.external - middle.external) / 5_000;
  const firstHalf = ((middle.used - start.used) / 2 ** 20).toFixed(2);
  assert.ok(
    perRequest < 100,
    `the heap grew ${perRequest.toFixed(0)} bytes a request (first half: ${firstHalf} MiB)`,
  );
  assert.ok(
    externalPerRequest < 100,
    `external memory grew ${externalPerRequest.toFixed(0)} bytes a request`,
  );
});
