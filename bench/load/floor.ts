/**
 * `deno task bench:floor`: the gateway beside two bare Deno proxies (bare_proxy.ts) in front of the same fake
 * upstream, Chat Completions on both sides, alternating round by round: what any Deno proxy costs on this
 * machine (`native`: bodies handed to the runtime; `js`: JSON parsed and re-serialised, the answer pumped
 * through one pull loop), so each issue-12 target can be read against the floor. Every answer is checked.
 */
import { readCpuMs, startGatewayProcess } from "../../tests/support/gateway_process.ts";
import { percentile, runConcurrent, send, type Timing } from "./load_client.ts";
import { contentEvents, replyFor } from "./replies.ts";
import { type BenchRequest, benchRequest, gatewayPath, upstreamPath } from "./requests.ts";
import { startFakeProcess } from "./fake_process.ts";

const rounds = Number(Deno.args.find((arg) => arg.startsWith("--rounds="))?.slice(9) ?? 4);
const fake = await startFakeProcess();
const v8Flags = "--max-old-space-size=384";
const gateway = await startGatewayProcess({
  OPENCODE_API_KEY: "bench-key",
  OPENCODE_GO_URL: fake.url,
  OPENCODE_ZEN_URL: `${fake.url}/zen`,
  MODELS_DEV_URL: `${fake.url}/api.json`,
}, { v8Flags });

async function startProxy(mode: "native" | "js") {
  const script = decodeURIComponent(new URL("./bare_proxy.ts", import.meta.url).pathname);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", `--v8-flags=${v8Flags}`, script, fake.url, mode],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/listening on (\S+)/.test(seen)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`bare proxy (${mode}) exited: ${seen}`);
    seen += value;
  }
  return { url: seen.match(/listening on (\S+)/)![1], pid: child.pid, stop: () => child.kill("SIGTERM") };
}

const sides = [
  { name: "gateway", url: gateway.url, pid: gateway.pid },
  { name: "bare proxy, js", ...await startProxy("js") },
  { name: "bare proxy, native", ...await startProxy("native") },
];
const direct = `${fake.url}${upstreamPath["openai-chat"]}`;

interface Tally {
  timings: Timing[];
  direct: Timing[];
  cpuMs: number;
  ms: number;
}

/** Each side and the direct baseline in turn, `rounds` times, the order rotating every round. */
async function measure(make: () => BenchRequest, perRound: number, concurrency: number) {
  const tallies = sides.map(() => ({ timings: [], direct: [], cpuMs: 0, ms: 0 } as Tally));
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < sides.length; turn++) {
      const index = (turn + round) % sides.length;
      const side = sides[index];
      const request = make();
      const cpu = readCpuMs(side.pid);
      const ran = await runConcurrent(
        perRound,
        concurrency,
        () => send(`${side.url}${gatewayPath["openai-chat"]}`, request),
      );
      tallies[index].cpuMs += readCpuMs(side.pid) - cpu;
      tallies[index].timings.push(...ran.results);
      tallies[index].ms += ran.ms;
      tallies[index].direct.push(
        ...(await runConcurrent(perRound, concurrency, () => send(direct, request))).results,
      );
    }
  }
  return tallies;
}

const make = (variant: "text" | "tool" | "tiny", stream: boolean) => () =>
  benchRequest("openai-chat", "openai-chat", variant, variant === "tiny" ? "tiny" : "large", stream);
for (const side of sides) {
  for (const request of [make("tool", false)(), make("text", true)(), make("tiny", false)()]) {
    await send(`${side.url}${gatewayPath["openai-chat"]}`, request);
  }
}
const p50 = (timings: Timing[]) => percentile(timings.map((timing) => timing.total), 0.5);
const tiny = await measure(make("tiny", false), 100, 4);
const c1 = await measure(make("tool", false), 25, 1);
const c64 = await measure(make("tool", false), 192, 64);
const streams = await measure(make("text", true), 32, 32);
const chunks = contentEvents(replyFor("bench-openai-chat-text")!);

console.log(`\nFloor, chat → chat, ${new Date().toISOString()}, ${rounds} rounds, --v8-flags=${v8Flags}\n`);
console.log(
  "| side | CPU ms/tiny req | added p50 c=1, large | req/s c=64, large | CPU ms/large req | CPU ms/1000 chunks |",
);
console.log("|---|---|---|---|---|---|");
sides.forEach((side, index) => {
  const row = [
    side.name,
    (tiny[index].cpuMs / tiny[index].timings.length).toFixed(2),
    `+${(p50(c1[index].timings) - p50(c1[index].direct)).toFixed(2)} ms`,
    (c64[index].timings.length / (c64[index].ms / 1000)).toFixed(0),
    ((c1[index].cpuMs + c64[index].cpuMs) / (c1[index].timings.length + c64[index].timings.length)).toFixed(
      2,
    ),
    (streams[index].cpuMs / streams[index].timings.length / chunks * 1000).toFixed(2),
  ];
  console.log(`| ${row.join(" | ")} |`);
});
for (const side of sides.slice(1)) (side as { stop: () => void }).stop();
await gateway.stop();
await fake.stop();
