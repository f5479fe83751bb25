/**
 * `deno task bench:load`: the gateway as a real process in front of a fake upstream process, every answer
 * checked, direct-to-fake and through-the-gateway runs interleaved. Prints a table with the target beside
 * each figure and writes the figures as JSON (`--out=<file>`, default `.cache/bench-load.json`). `--leak=N`
 * instead sends N mixed requests and reports the gateway's RSS every tenth of the way; `--only=memory` measures
 * only idle, peak and after-load RSS; `--scenario=<text>` keeps the scenarios whose name contains it;
 * `--v8-flags=…` replaces the start task's flags. Figures and findings: docs/performance.md#load-benchmark.
 */
import { readCpuMs, readRssBytes, startGatewayProcess } from "../../tests/support/gateway_process.ts";
import { closeConnections, percentile, runConcurrent, send, type Timing } from "./load_client.ts";
import { contentEvents, type Family, replyFor } from "./replies.ts";
import { type BenchRequest, benchRequest, type ClientFormat, gatewayPath, upstreamPath } from "./requests.ts";
import { startFakeProcess } from "./fake_process.ts";
import { formatBreakdown, rssBreakdown } from "./smaps.ts";
import { printReport, type ScenarioFigures } from "./report.ts";

interface Scenario {
  name: string;
  client: ClientFormat;
  upstream: Family;
  /** How the gateway handles a non-stream / stream answer in this pairing. */
  nonStream: "translated" | "pass-through";
  stream: "translated" | "pass-through";
}

const scenarios: Scenario[] = [
  {
    name: "messages → chat",
    client: "anthropic",
    upstream: "openai-chat",
    nonStream: "translated",
    stream: "translated",
  },
  {
    name: "messages → messages",
    client: "anthropic",
    upstream: "anthropic",
    nonStream: "translated",
    stream: "pass-through",
  },
  {
    name: "messages → responses",
    client: "anthropic",
    upstream: "openai-responses",
    nonStream: "translated",
    stream: "translated",
  },
  {
    name: "messages → gemini",
    client: "anthropic",
    upstream: "gemini",
    nonStream: "translated",
    stream: "translated",
  },
  {
    name: "chat → chat",
    client: "openai-chat",
    upstream: "openai-chat",
    nonStream: "pass-through",
    stream: "pass-through",
  },
  {
    name: "responses → responses",
    client: "openai-responses",
    upstream: "openai-responses",
    nonStream: "pass-through",
    stream: "pass-through",
  },
];

const args = new Map(Deno.args.map((arg) => {
  const at = arg.indexOf("=");
  return at < 0 ? [arg.replace(/^--/, ""), ""] : [arg.slice(0, at).replace(/^--/, ""), arg.slice(at + 1)];
}));
const outPath = args.get("out") ?? ".cache/bench-load.json";
const leakCount = args.has("leak") ? Number(args.get("leak") || 10_000) : 0;
// By default the gateway runs as `deno task start` runs it: that task's V8 flags and malloc setting.
const startTask = (JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url))) as {
  tasks: Record<string, string>;
}).tasks.start;
const v8Flags = args.get("v8-flags") ?? startTask.match(/--v8-flags=(\S+)/)?.[1];
// glibc malloc tunables (`MALLOC_ARENA_MAX`, `MALLOC_TRIM_THRESHOLD_`, …): the start task's, overridden by ours.
const mallocEnv: Record<string, string> = Object.fromEntries([
  ...[...startTask.matchAll(/\b(MALLOC_\w+)=(\S+)/g)].map((match) => [match[1], match[2]]),
  ...Object.entries(Deno.env.toObject()).filter(([name]) => name.startsWith("MALLOC_")),
]);
const arenaMax = mallocEnv.MALLOC_ARENA_MAX;

const fake = await startFakeProcess();
const gateway = await startGatewayProcess({
  OPENCODE_API_KEY: "bench-key",
  OPENCODE_GO_URL: fake.url,
  OPENCODE_ZEN_URL: `${fake.url}/zen`,
  MODELS_DEV_URL: `${fake.url}/api.json`,
  LOG_LEVEL: args.get("log-level") ?? "info",
  ...mallocEnv,
}, { v8Flags });
const pid = gateway.pid;
const mib = (bytes: number) => bytes / 2 ** 20;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, readRssBytes(pid));
}, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The baseline is the client talking to an upstream of its own format, the same bytes sent.
const direct = (request: BenchRequest) => `${fake.url}${upstreamPath[request.client]}`;
const through = (request: BenchRequest) => `${gateway.url}${gatewayPath[request.client]}`;

async function fullRun(idleColdRss: number) {
  const started = performance.now();
  const figures: ScenarioFigures[] = [];
  // `--scenario=chat` runs only the scenarios whose name contains it (for comparing settings quickly).
  const only = args.get("scenario");
  for (const scenario of scenarios.filter((scenario) => !only || scenario.name.includes(only))) {
    figures.push(await measureScenario(scenario));
  }
  const warmIdle = readRssBytes(pid);
  const peakBeforeMix = peakRss;
  peakRss = 0;
  await mixedPeak();
  const peakMix = peakRss;
  await sleep(3_000);
  const connectedRss = readRssBytes(pid);
  // Clients gone (their keep-alive connections closed), as after a real burst.
  closeConnections();
  await sleep(3_000);
  const afterRss = readRssBytes(pid);
  const memory = {
    idleColdMiB: mib(idleColdRss),
    peakMixMiB: mib(peakMix),
    peakScenariosMiB: mib(peakBeforeMix),
    idleBetweenMiB: mib(warmIdle),
    afterLoadConnectedMiB: mib(connectedRss),
    afterLoadMiB: mib(afterRss),
  };
  const result = {
    date: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
    v8Flags: v8Flags ?? "",
    mallocArenaMax: arenaMax ?? "",
    mallocEnv,
    memory,
    scenarios: figures,
  };
  printReport(result);
  await Deno.mkdir(outPath.replace(/\/[^/]*$/, "") || ".", { recursive: true });
  await Deno.writeTextFile(outPath, JSON.stringify(result, null, 2) + "\n");
  console.log(`\nJSON: ${outPath} (${result.seconds.toFixed(0)} s)`);
}

/** Runs `count` calls, alternating which side goes first each round so neither always runs warm. */
async function interleaved(
  make: () => BenchRequest,
  rounds: number,
  perRound: number,
  concurrency: number,
) {
  const side = { direct: [] as Timing[], gateway: [] as Timing[], directMs: 0, gatewayMs: 0, cpuMs: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const which of round % 2 === 0 ? ["direct", "gateway"] as const : ["gateway", "direct"] as const) {
      const request = make();
      const url = which === "direct" ? direct(request) : through(request);
      const cpu = readCpuMs(pid);
      const { results, ms } = await runConcurrent(perRound, concurrency, () => send(url, request));
      if (which === "gateway") side.cpuMs += readCpuMs(pid) - cpu;
      side[which].push(...results);
      side[`${which}Ms`] += ms;
    }
  }
  return side;
}

const summary = (timings: Timing[], pick: (timing: Timing) => number) => ({
  p50: percentile(timings.map(pick), 0.5),
  p99: percentile(timings.map(pick), 0.99),
});

async function measureScenario(scenario: Scenario): Promise<ScenarioFigures> {
  const { client, upstream } = scenario;
  // Every variant both ways first: routes resolve, answers check out, connections are warm.
  for (const variant of ["text", "tool", "tiny"] as const) {
    for (const stream of [false, true]) {
      const request = benchRequest(client, upstream, variant, variant === "tiny" ? "tiny" : "large", stream);
      await send(direct(request), request);
      await send(through(request), request);
    }
  }
  const large = (stream: boolean, variant: "text" | "tool" = "tool") => () =>
    benchRequest(client, upstream, variant, "large", stream);
  // Concurrency 1, request by request alternating sides.
  const c1 = await interleaved(large(false), 100, 1, 1);
  const c64 = await interleaved(large(false), 2, 192, 64);
  const streams = await interleaved(large(true, "text"), 2, 32, 32);
  const tiny = await interleaved(() => benchRequest(client, upstream, "tiny", "tiny", false), 4, 100, 4);
  const chunksPerStream = contentEvents(replyFor(`bench-${upstream}-text`)!);
  const added = (a: number, b: number) => a - b;
  const c1Direct = summary(c1.direct, (t) => t.total);
  const c1Gateway = summary(c1.gateway, (t) => t.total);
  return {
    name: scenario.name,
    nonStreamMode: scenario.nonStream,
    streamMode: scenario.stream,
    c1: {
      direct: c1Direct,
      gateway: c1Gateway,
      addedP50: added(c1Gateway.p50, c1Direct.p50),
      addedP99: added(c1Gateway.p99, c1Direct.p99),
    },
    c64: {
      direct: summary(c64.direct, (t) => t.total),
      gateway: summary(c64.gateway, (t) => t.total),
      directRps: c64.direct.length / (c64.directMs / 1000),
      gatewayRps: c64.gateway.length / (c64.gatewayMs / 1000),
    },
    largeCpuMsPerRequest: (c1.cpuMs + c64.cpuMs) / (c1.gateway.length + c64.gateway.length),
    streams: {
      ttfbDirect: summary(streams.direct, (t) => t.ttfb),
      ttfbGateway: summary(streams.gateway, (t) => t.ttfb),
      totalDirect: summary(streams.direct, (t) => t.total),
      totalGateway: summary(streams.gateway, (t) => t.total),
      directPerSecond: streams.direct.length / (streams.directMs / 1000),
      gatewayPerSecond: streams.gateway.length / (streams.gatewayMs / 1000),
      chunksPerStream,
      cpuMsPer1000Chunks: streams.cpuMs / streams.gateway.length / chunksPerStream * 1000,
    },
    tiny: {
      addedP50: added(summary(tiny.gateway, (t) => t.total).p50, summary(tiny.direct, (t) => t.total).p50),
      cpuMsPerRequest: tiny.cpuMs / tiny.gateway.length,
    },
  };
}

/** 32 large streams and 64 large non-stream requests at once, across the scenarios, three times. */
async function mixedPeak() {
  for (let round = 0; round < 3; round++) {
    const jobs: Promise<Timing>[] = [];
    for (let index = 0; index < 96; index++) {
      const scenario = scenarios[index % scenarios.length];
      const request = benchRequest(
        scenario.client,
        scenario.upstream,
        index < 32 ? "text" : "tool",
        "large",
        index < 32,
      );
      jobs.push(send(through(request), request));
    }
    await Promise.all(jobs);
  }
}

/** Just the memory figures (`--only=memory`), for trying heap settings quickly. */
async function memoryOnly(idleColdRss: number) {
  if (args.has("smaps")) console.log(`idle: ${formatBreakdown(rssBreakdown(pid))}`);
  await mixedPeak();
  const peak = peakRss;
  await sleep(3_000);
  console.log(`after, clients connected: ${mib(readRssBytes(pid)).toFixed(1)} MiB`);
  closeConnections();
  await sleep(3_000);
  if (args.has("smaps")) console.log(`after: ${formatBreakdown(rssBreakdown(pid))}`);
  if (args.has("smaps-file")) Deno.copyFileSync(`/proc/${pid}/smaps`, args.get("smaps-file")!);
  console.log(
    `RSS idle cold ${mib(idleColdRss).toFixed(1)} MiB, peak ${mib(peak).toFixed(1)} MiB, after ${
      mib(readRssBytes(pid)).toFixed(1)
    } MiB`,
  );
}

/** N mixed requests through the gateway at concurrency 16; RSS after each tenth. */
async function leak(count: number, idleColdRss: number) {
  const requests = scenarios.flatMap((scenario) =>
    [false, true].flatMap((stream) =>
      (["tool", "tiny"] as const).map((variant) =>
        benchRequest(
          scenario.client,
          scenario.upstream,
          variant,
          variant === "tiny" ? "tiny" : "large",
          stream,
        )
      )
    )
  );
  console.log(`RSS idle (cold): ${mib(idleColdRss).toFixed(1)} MiB; ${count} requests, concurrency 16`);
  const tenth = Math.ceil(count / 10);
  const samples: number[] = [];
  for (let done = 0; done < count; done += tenth) {
    await runConcurrent(Math.min(tenth, count - done), 16, (index) => {
      const request = requests[(done + index) % requests.length];
      return send(through(request), request);
    });
    await sleep(500);
    samples.push(mib(readRssBytes(pid)));
    console.log(`after ${Math.min(done + tenth, count)}: RSS ${samples.at(-1)!.toFixed(1)} MiB`);
  }
  const secondHalf = samples.slice(Math.floor(samples.length / 2));
  const growth = Math.max(...secondHalf) - secondHalf[0];
  console.log(`growth over the second half: ${growth.toFixed(1)} MiB; peak ${mib(peakRss).toFixed(1)} MiB`);
}

try {
  await sleep(1_500);
  const idleColdRss = readRssBytes(pid);
  if (leakCount) await leak(leakCount, idleColdRss);
  else if (args.get("only") === "memory") await memoryOnly(idleColdRss);
  else await fullRun(idleColdRss);
} finally {
  clearInterval(sampler);
  await gateway.stop();
  await fake.stop();
}
