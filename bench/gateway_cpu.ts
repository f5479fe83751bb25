/**
 * What one request costs inside the gateway, without sockets: `createGateway` with the load benchmark's fake
 * upstream answering in-process and the request log on (to a sink that drops the lines: they are built and
 * scrubbed all the same), for a tiny and a large (90 KB) non-stream request per client → upstream pair. With
 * `--base=<dir>` another checkout's gateway runs in the same process, rounds alternating, so the two trees
 * meet the same machine. Time per request is wall time of sequential requests: CPU, as nothing waits.
 *
 * deno run -A bench/gateway_cpu.ts [--base=<dir>] [--rounds=8] [--count=2000] [--scenario=<text>] [--size=tiny|large]
 */
import { answer } from "./load/fake_upstream.ts";
import { benchRequest, type ClientFormat, gatewayPath } from "./load/requests.ts";
import type { Family } from "./load/replies.ts";

type Gateway = (request: Request) => Promise<Response>;
const args = new Map(Deno.args.map((arg) => [arg.replace(/^--/, "").split("=")[0], arg.split("=")[1] ?? ""]));
const rounds = Number(args.get("rounds") ?? 8);
const count = Number(args.get("count") ?? 2000);
const base = args.get("base");
const fakeBase = "http://fake.invalid";
const env = {
  OPENCODE_API_KEY: "bench-key",
  OPENCODE_GO_URL: fakeBase,
  OPENCODE_ZEN_URL: `${fakeBase}/zen`,
  MODELS_DEV_URL: `${fakeBase}/api.json`,
  LOG_LEVEL: "info",
};
const fakeFetch =
  ((input: RequestInfo | URL, init?: RequestInit) => answer(new Request(input, init))) as typeof fetch;

async function gatewayOf(root: string): Promise<Gateway> {
  const { createGateway } = await import(`${root}/lib/gateway.ts`);
  const { loadConfig } = await import(`${root}/lib/config.ts`);
  return createGateway(await loadConfig(env), { fetch: fakeFetch, log: () => {} });
}

const here = new URL("..", import.meta.url).href.replace(/\/$/, "");
const sides: [string, Gateway][] = [["this tree", await gatewayOf(here)]];
if (base) sides.push(["base", await gatewayOf(new URL(`file://${await Deno.realPath(base)}`).href)]);
const headers = {
  "content-type": "application/json",
  authorization: "Bearer bench-key",
  "x-api-key": "bench-key",
};

async function run(gateway: Gateway, path: string, body: string, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const response = await gateway(
      new Request(`http://gateway.local${path}`, { method: "POST", headers, body }),
    );
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  }
  const ms = performance.now() - started;
  // Let the event loop turn (timers cleared, ops settled), as it does between requests on a real server.
  await new Promise((resolve) => setTimeout(resolve, 5));
  return ms / n * 1000;
}

const pairs: [string, ClientFormat, Family][] = [
  ["chat → chat", "openai-chat", "openai-chat"],
  ["messages → messages", "anthropic", "anthropic"],
  ["messages → chat", "anthropic", "openai-chat"],
  ["responses → responses", "openai-responses", "openai-responses"],
];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `| pair, size | ${sides.map(([name]) => `${name} µs/request`).join(" | ")} |${base ? " ratio |" : ""}`,
);
console.log(`|---|${sides.map(() => "---:|").join("")}${base ? "---:|" : ""}`);
for (const [name, client, upstream] of pairs.filter(([name]) => name.includes(args.get("scenario") ?? ""))) {
  for (const size of (["tiny", "large"] as const).filter((size) => size.includes(args.get("size") ?? ""))) {
    const body = benchRequest(client, upstream, size === "tiny" ? "tiny" : "tool", size, false).body;
    const n = size === "tiny" ? count : Math.ceil(count / 5);
    const times = sides.map(() => [] as number[]);
    for (const [, gateway] of sides) await run(gateway, gatewayPath[client], body, 50);
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < sides.length; turn++) {
        const index = (turn + round) % sides.length;
        times[index].push(await run(sides[index][1], gatewayPath[client], body, n));
      }
    }
    const medians = times.map(median);
    const ratio = base ? ` ${(medians[0] / medians[1]).toFixed(2)} |` : "";
    console.log(`| ${name}, ${size} | ${medians.map((value) => value.toFixed(1)).join(" | ")} |${ratio}`);
  }
}
