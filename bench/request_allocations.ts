/**
 * Where a request's allocations come from: V8's sampling heap profiler (through `node:inspector`) over
 * in-process requests to `createGateway` with the load benchmark's fake upstream, every allocation (also those
 * a minor or major GC has already collected) charged to the nearest gateway function on its stack. The young
 * garbage a request leaves is what the collector spends its time on under load (`docs/performance.md`).
 *
 * deno run -A bench/request_allocations.ts [--client=openai-chat|anthropic|openai-responses]
 *   [--upstream=openai-chat|anthropic|openai-responses|gemini] [--size=tiny|large] [--count=2000] [--top=30]
 */
import { Session } from "node:inspector";
import { answer } from "./load/fake_upstream.ts";
import { benchRequest, type ClientFormat, gatewayPath } from "./load/requests.ts";
import type { Family } from "./load/replies.ts";
import { createGateway } from "../lib/gateway.ts";
import { loadConfig } from "../lib/config.ts";

const flag = (name: string, fallback: string) =>
  Deno.args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const client = flag("client", "openai-chat") as ClientFormat;
const upstream = flag("upstream", client === "anthropic" ? "anthropic" : client) as Family;
const size = flag("size", "tiny") as "tiny" | "large";
const count = Number(flag("count", size === "tiny" ? "2000" : "400"));
const top = Number(flag("top", "30"));

const base = "http://fake.invalid";
const config = await loadConfig({
  OPENCODE_API_KEY: "bench-key",
  OPENCODE_GO_URL: base,
  OPENCODE_ZEN_URL: `${base}/zen`,
  MODELS_DEV_URL: `${base}/api.json`,
  LOG_LEVEL: "info",
});
const fakeFetch =
  ((input: RequestInfo | URL, init?: RequestInit) => answer(new Request(input, init))) as typeof fetch;
const gateway = createGateway(config, { fetch: fakeFetch, log: () => {} });
const headers = {
  "content-type": "application/json",
  authorization: "Bearer bench-key",
  "x-api-key": "bench-key",
};
const body = benchRequest(client, upstream, size === "tiny" ? "tiny" : "tool", size, false).body;
async function one() {
  const response = await gateway(
    new Request(`http://gateway.local${gatewayPath[client]}`, { method: "POST", headers, body }),
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status}: ${text.slice(0, 300)}`);
}
for (let i = 0; i < 200; i++) await one();

const session = new Session();
session.connect();
const post = <T>(method: string, params: object = {}) =>
  new Promise<T>((resolve, reject) =>
    session.post(
      method,
      params,
      (error: unknown, result: unknown) => error ? reject(error) : resolve(result as T),
    )
  );
interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: Node[];
}
await post("HeapProfiler.enable");
await post("HeapProfiler.startSampling", {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
for (let i = 0; i < count; i++) {
  await one();
  // Let the event loop turn now and then, as it does between requests on a real server.
  if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
}
const { profile } = await post<{ profile: { head: Node } }>("HeapProfiler.stopSampling");
session.disconnect();

const own = /\/lib\/[^/].*\.ts$/;
const byPlace = new Map<string, number>();
let total = 0;
(function walk(node: Node, stack: Node["callFrame"][]) {
  const frames = [...stack, node.callFrame];
  if (node.selfSize) {
    total += node.selfSize;
    const owner = frames.findLast((frame) => own.test(frame.url));
    const where = owner
      ? `${owner.functionName || "(anonymous)"} ${owner.url.replace(/^.*\/lib\//, "lib/")}`
      : "(runtime)";
    const what = node.callFrame.url
      ? `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.split("/").pop()}`
      : node.callFrame.functionName;
    const key = `${where} ← ${what}`;
    byPlace.set(key, (byPlace.get(key) ?? 0) + node.selfSize);
  }
  for (const child of node.children ?? []) walk(child, frames);
})(profile.head, []);

console.log(
  `${client} → ${upstream}, ${size}: ${
    (total / count / 1024).toFixed(1)
  } KiB allocated per request (sampled)\n`,
);
console.log("| nearest gateway function ← allocating frame | KiB per request |\n|---|---:|");
for (const [key, bytes] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`| ${key} | ${(bytes / count / 1024).toFixed(2)} |`);
}
