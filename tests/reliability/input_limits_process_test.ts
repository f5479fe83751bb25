// The real server, over sockets, while a probe asks `GET /api/hello` back to back: one request of deeply
// nested JSON or with a huge model name must not freeze the gateway for everyone else. Found: a 100,000-level
// tool schema cost 5.1 s of CPU, a 1,000,000-level array 1.2 s on the pass-through, a 30 MB model name 12.3 s
// (with a 30 MB answer and a 31 MB log line).
import * as assert from "node:assert/strict";
import { measureStall, startGatewayProcess } from "../support/gateway_process.ts";

const offline = {
  MODELS_DEV_URL: "http://127.0.0.1:9/api.json",
  OPENCODE_GO_URL: "http://127.0.0.1:9/go",
  OPENCODE_ZEN_URL: "http://127.0.0.1:9/zen",
};

const deepObject = (levels: number) => `${'{"type":"object","items":'.repeat(levels)}{}${"}".repeat(levels)}`;
const deepArray = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

interface Answer {
  status: number;
  bytes: number;
  text: string;
}

async function post(url: string, path: string, body: string): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-client-process-limits" },
    body,
  });
  const text = await response.text();
  return { status: response.status, bytes: text.length, text: text.slice(0, 500) };
}

const anthropicBody = (deep: string) =>
  `{"model":"kimi-k2.6","max_tokens":100,"messages":[{"role":"user","content":"Hi"}],` +
  `"tools":[{"name":"t","input_schema":${deep}}]}`;

Deno.test("deep nesting on every route is a quick 400 over real sockets: no stall over 200 ms", async () => {
  const gateway = await startGatewayProcess(offline);
  try {
    // Warm up (first request compiles the routes) so the probe measures the requests, not start-up.
    await post(gateway.url, "/v1/messages/count_tokens", anthropicBody("{}"));
    const cpuBefore = gateway.cpuMs();
    const { result, stall } = await measureStall(gateway.url, async () => {
      const schema = deepObject(100_000);
      const array = deepArray(1_000_000);
      return [
        await post(gateway.url, "/v1/messages", anthropicBody(schema)),
        await post(gateway.url, "/v1/messages/count_tokens", anthropicBody(schema)),
        await post(
          gateway.url,
          "/v1/chat/completions",
          `{"model":"kimi-k2.6","messages":[{"role":"user","content":"Hi"}],"x":${array}}`,
        ),
        await post(gateway.url, "/v1/responses", `{"model":"kimi-k2.6","input":${array}}`),
        await post(gateway.url, "/v1/chat/completions", `{"model":"kimi-k2.6","messages":${array}}`),
      ];
    });
    const cpuMs = gateway.cpuMs() - cpuBefore;
    for (const answer of result) {
      assert.equal(answer.status, 400, answer.text);
      assert.match(answer.text, /nests deeper than 128 levels/);
      assert.ok(answer.bytes < 500, `${answer.bytes} bytes`);
    }
    console.log(
      `deep nesting: max stall ${stall.maxMs.toFixed(1)} ms over ${stall.samples} probes, CPU ${cpuMs} ms`,
    );
    assert.equal(stall.failures, 0);
    assert.ok(stall.maxMs < 200, `the event loop stalled ${stall.maxMs.toFixed(1)} ms`);
  } finally {
    await gateway.stop();
  }
});

Deno.test("a 30 MB model name gets a small 400 and a small log line over real sockets", async () => {
  const gateway = await startGatewayProcess(offline);
  try {
    await post(gateway.url, "/v1/messages/count_tokens", anthropicBody("{}"));
    const name = `kimi-${"k".repeat(30_000_000)}`;
    const body = `{"model":"${name}","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}`;
    const rssBefore = gateway.rssBytes();
    const { result, stall } = await measureStall(gateway.url, () => post(gateway.url, "/v1/messages", body));
    assert.equal(result.status, 400);
    assert.ok(result.bytes < 500, `${result.bytes} bytes`);
    assert.match(result.text, /model name is 30000005 characters, longer than the gateway's limit of 256/);
    const lines = gateway.lines();
    for (const line of lines) assert.ok(line.length < 4_000, `a log line of ${line.length} characters`);
    const growthMb = (gateway.rssBytes() - rssBefore) / 1e6;
    console.log(
      `30 MB model name: max stall ${stall.maxMs.toFixed(1)} ms, RSS growth ${growthMb.toFixed(0)} MB, ` +
        `longest log line ${Math.max(...lines.map((line) => line.length))} chars`,
    );
    assert.equal(stall.failures, 0);
    // Reading and parsing 30 MB is linear work; Deno Deploy's rule is never a second without the event loop.
    assert.ok(stall.maxMs < 1_000, `the event loop stalled ${stall.maxMs.toFixed(1)} ms`);
  } finally {
    await gateway.stop();
  }
});
