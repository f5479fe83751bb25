/**
 * Two gateway trees side by side (`deno task bench:load:compare --base=<dir>`): this checkout and another
 * one (e.g. `git archive <commit> | tar -x -C <dir>`) run as two processes in front of one fake upstream,
 * and every round alternates between them (and the direct baseline), so the shared machine's swings hit both
 * alike. Per scenario it reports the medians over rounds of the gateway's CPU per 1000 streamed chunks and
 * of the added p50 of large non-stream requests at concurrency 1, of the CPU per tiny non-stream request (`--tiny=N`,
 * default 500, at concurrency 4 per round), and their ratio new / base.
 * `--scenario=<text>` keeps the scenarios whose name contains it; `--rounds=N` (default 6); `--size=tiny`
 * streams the tiny request's answer instead of the large one's; `--only=tiny` measures tiny requests alone.
 */
import { readCpuMs, startGatewayProcess } from "../../tests/support/gateway_process.ts";
import { percentile, runConcurrent, send } from "./load_client.ts";
import { contentEvents, type Family, replyFor } from "./replies.ts";
import { benchRequest, type ClientFormat, gatewayPath, upstreamPath } from "./requests.ts";
import { startFakeProcess } from "./fake_process.ts";

const pairs: [string, ClientFormat, Family][] = [
  ["messages → chat", "anthropic", "openai-chat"],
  ["messages → messages", "anthropic", "anthropic"],
  ["messages → responses", "anthropic", "openai-responses"],
  ["messages → gemini", "anthropic", "gemini"],
  ["chat → chat", "openai-chat", "openai-chat"],
  ["responses → responses", "openai-responses", "openai-responses"],
];

const args = new Map(Deno.args.map((arg) => {
  const at = arg.indexOf("=");
  return at < 0 ? [arg.replace(/^--/, ""), ""] : [arg.slice(0, at).replace(/^--/, ""), arg.slice(at + 1)];
}));
const base = args.get("base");
if (!base) throw new Error("--base=<directory of the other checkout> is required");
const rounds = Number(args.get("rounds") ?? 6);
const only = args.get("scenario");
// CPU is read in clock ticks (10 ms), so a round needs enough tiny requests to resolve ~0.03 ms each.
const tinyCount = Number(args.get("tiny") ?? 500);
// `--only=tiny`: the tiny-request CPU alone (no streams, no concurrency-1 latency).
const tinyOnly = args.get("only") === "tiny";
// `--size=tiny` streams answer the tiny request instead of the 90 KB one (to tell request from stream cost).
const streamSize = args.get("size") === "tiny" ? "tiny" : "large";
const startTask = (JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url))) as {
  tasks: Record<string, string>;
}).tasks.start;
const v8Flags = args.get("v8-flags") ?? startTask.match(/--v8-flags=(\S+)/)?.[1];

const fake = await startFakeProcess();
const env = {
  OPENCODE_API_KEY: "bench-key",
  OPENCODE_GO_URL: fake.url,
  OPENCODE_ZEN_URL: `${fake.url}/zen`,
  MODELS_DEV_URL: `${fake.url}/api.json`,
  LOG_LEVEL: "info",
};
const sides = [
  { name: "new", process: await startGatewayProcess(env, { v8Flags }) },
  { name: "base", process: await startGatewayProcess(env, { v8Flags, root: base }) },
];
const median = (values: number[]) => percentile(values, 0.5);
const f = (value: number) => value.toFixed(2);

try {
  for (const [name, client, upstream] of pairs.filter(([name]) => !only || name.includes(only))) {
    const stream = benchRequest(client, upstream, "text", streamSize, true);
    const large = benchRequest(client, upstream, "tool", "large", false);
    const tiny = benchRequest(client, upstream, "tiny", "tiny", false);
    const chunks = contentEvents(replyFor(`bench-${upstream}-text`)!);
    const cpu: Record<string, number[]> = { new: [], base: [] };
    const added: Record<string, number[]> = { new: [], base: [] };
    const tinyCpu: Record<string, number[]> = { new: [], base: [] };
    for (const side of sides) {
      await runConcurrent(8, 8, () => send(`${side.process.url}${gatewayPath[client]}`, stream));
      await runConcurrent(8, 1, () => send(`${side.process.url}${gatewayPath[client]}`, large));
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of tinyOnly ? [] : order) {
        const before = readCpuMs(side.process.pid);
        await runConcurrent(32, 32, () => send(`${side.process.url}${gatewayPath[client]}`, stream));
        cpu[side.name].push((readCpuMs(side.process.pid) - before) / 32 / chunks * 1000);
      }
      // Tiny requests in five short batches per side, alternating, summed: CPU comes in 10 ms ticks.
      const tinyMs: Record<string, number> = { new: 0, base: 0 };
      for (let batch = 0; batch < 5; batch++) {
        for (const side of batch % 2 === 0 ? order : [...order].reverse()) {
          const before = readCpuMs(side.process.pid);
          await runConcurrent(
            tinyCount / 5,
            4,
            () => send(`${side.process.url}${gatewayPath[client]}`, tiny),
          );
          tinyMs[side.name] += readCpuMs(side.process.pid) - before;
        }
      }
      for (const side of sides) tinyCpu[side.name].push(tinyMs[side.name] / tinyCount);
      if (tinyOnly) continue;
      // Concurrency 1: direct, new and base request by request, 20 each.
      const totals: Record<string, number[]> = { direct: [], new: [], base: [] };
      for (let index = 0; index < 20; index++) {
        totals.direct.push((await send(`${fake.url}${upstreamPath[client]}`, large)).total);
        for (const side of index % 2 === 0 ? sides : [...sides].reverse()) {
          totals[side.name].push((await send(`${side.process.url}${gatewayPath[client]}`, large)).total);
        }
      }
      for (const side of sides) added[side.name].push(median(totals[side.name]) - median(totals.direct));
    }
    const [cpuNew, cpuBase] = [median(cpu.new), median(cpu.base)];
    const [addedNew, addedBase] = [median(added.new), median(added.base)];
    const [tinyNew, tinyBase] = [median(tinyCpu.new), median(tinyCpu.base)];
    if (tinyOnly) {
      console.log(
        `${name.padEnd(22)} CPU ms/tiny req new ${tinyNew.toFixed(3)} base ${tinyBase.toFixed(3)} (×${
          f(tinyNew / tinyBase)
        }) | runs new ${tinyCpu.new.map((ms) => ms.toFixed(3)).join(" ")} | base ${
          tinyCpu.base.map((ms) => ms.toFixed(3)).join(" ")
        }`,
      );
      continue;
    }
    console.log(
      `${name.padEnd(22)} CPU ms/1000 chunks new ${f(cpuNew)} base ${f(cpuBase)} (×${
        f(cpuNew / cpuBase)
      }) | ` +
        `non-stream added p50 c=1 new +${f(addedNew)} base +${f(addedBase)} ms | ` +
        `CPU ms/tiny req new ${tinyNew.toFixed(3)} base ${tinyBase.toFixed(3)} (×${f(tinyNew / tinyBase)})`,
    );
    console.log(
      `${"".padEnd(22)} CPU runs new ${cpu.new.map(f).join(" ")} | base ${cpu.base.map(f).join(" ")}`,
    );
  }
} finally {
  for (const side of sides) await side.process.stop();
  await fake.stop();
}
