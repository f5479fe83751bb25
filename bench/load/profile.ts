/**
 * `deno task bench:profile`: where the gateway's CPU goes, beside the bare JavaScript proxy of bench:floor. Each
 * side runs as its own process under `--cpu-prof` in front of the same fake upstream, gets a warm-up, a pause,
 * then one workload; the profile's self time after the pause is summed by place (our modules, npm packages,
 * Deno's runtime, GC, native work) and divided by the requests (or by 1000 chunks for streams).
 *
 * deno task bench:profile [--workload=tiny|large|stream] [--client=openai-chat|anthropic|openai-responses]
 *   [--upstream=openai-chat|anthropic|openai-responses|gemini] [--count=N] [--top=N] [--keep]
 *   (--keep leaves each .cpuprofile on disk, to open in Chrome's DevTools)
 */
import { baseProcessEnv } from "../../tests/support/deno_process.ts";
import { processEnv } from "../../tests/support/gateway_process.ts";
import { readProfiles, summarize } from "./cpu_profile_summary.ts";
import { startFakeProcess } from "./fake_process.ts";
import { runConcurrent, send } from "./load_client.ts";
import { contentEvents, type Family, replyFor } from "./replies.ts";
import { benchRequest, type ClientFormat, gatewayPath } from "./requests.ts";

const flag = (name: string, fallback: string) =>
  Deno.args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const workload = flag("workload", "tiny") as "tiny" | "large" | "stream";
const client = flag("client", "openai-chat") as ClientFormat;
const upstream = flag("upstream", client === "anthropic" ? "anthropic" : client) as Family;
const count = Number(flag("count", workload === "stream" ? "64" : workload === "tiny" ? "3000" : "1000"));
const top = Number(flag("top", "25"));
const here = (file: string) => decodeURIComponent(new URL(file, import.meta.url).pathname);

const fake = await startFakeProcess();
const request = workload === "stream" ? benchRequest(client, upstream, "text", "large", true) : benchRequest(
  client,
  upstream,
  workload === "tiny" ? "tiny" : "tool",
  workload === "tiny" ? "tiny" : "large",
  false,
);

async function profileSide(side: "gateway" | "js proxy") {
  const dir = await Deno.makeTempDir({ prefix: "ocb-prof-" });
  const kvDir = await Deno.makeTempDir({ prefix: "ocb-kv-" });
  const profiling = ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--v8-flags=--max-old-space-size=384"];
  const args = side === "gateway"
    ? ["run", "-A", `--config=${here("../../deno.json")}`, ...profiling, here("./profiled_main.ts")]
    : [
      "run",
      "--allow-net",
      `--config=${here("../../deno.json")}`,
      ...profiling,
      here("./bare_proxy.ts"),
      fake.url,
      "js",
    ];
  const env = side === "gateway"
    ? {
      ...processEnv(kvDir),
      LOG_LEVEL: "info",
      LISTEN_HOST: "127.0.0.1",
      OPENCODE_API_KEY: "bench-key",
      OPENCODE_GO_URL: fake.url,
      OPENCODE_ZEN_URL: `${fake.url}/zen`,
      MODELS_DEV_URL: `${fake.url}/api.json`,
    }
    : baseProcessEnv();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  const url = await listening(child);
  const target = `${url}${gatewayPath[client]}`;
  for (let i = 0; i < 50; i++) await send(target, request);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await runConcurrent(count, workload === "stream" ? 8 : 4, () => send(target, request));
  child.kill("SIGTERM");
  await child.status;
  const [profile] = await readProfiles(dir);
  if (Deno.args.includes("--keep")) console.log(`${side}'s profile kept in ${dir}`);
  else await Deno.remove(dir, { recursive: true });
  await Deno.remove(kvDir, { recursive: true });
  return summarize(profile);
}

/** Resolves with the server's address once it prints its listening line (on stdout or stderr). */
async function listening(child: Deno.ChildProcess): Promise<string> {
  const found = Promise.withResolvers<string>();
  for (const stream of [child.stdout, child.stderr]) {
    (async () => {
      let seen = "";
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        seen += text;
        const match = seen.match(/listening on (http:\/\/[^\s/]+)/);
        if (match) found.resolve(match[1]);
        if (seen.length > 10_000) seen = seen.slice(-1000);
      }
    })().catch(() => {});
  }
  child.status.then((status) => found.reject(new Error(`exited (${status.code}) before listening`)));
  return await found.promise;
}

const unit = workload === "stream"
  ? {
    per: count * contentEvents(replyFor(JSON.parse(request.body).model)!) / 1000,
    name: "ms per 1000 chunks",
  }
  : { per: count, name: `ms per ${workload} request` };
const sides = { gateway: await profileSide("gateway"), "js proxy": await profileSide("js proxy") };
await fake.stop();

console.log(
  `\nCPU profile, ${client} → ${upstream}, ${workload}, ${count} ${
    workload === "stream" ? "streams" : "requests"
  }, ${new Date().toISOString()}`,
);
for (const [name, summary] of Object.entries(sides)) {
  console.log(`\n${name}: ${(summary.busyMs / unit.per).toFixed(3)} ${unit.name} sampled (not idle)\n`);
  console.log(`| place | ${unit.name} | share |\n|---|---:|---:|`);
  for (const [place, ms] of summary.places.slice(0, top)) {
    console.log(`| ${place} | ${(ms / unit.per).toFixed(4)} | ${(100 * ms / summary.busyMs).toFixed(1)} % |`);
  }
  console.log(`\n| function (self time) | ${unit.name} |\n|---|---:|`);
  for (const [fn, ms] of summary.functions.slice(0, top)) {
    console.log(`| ${fn} | ${(ms / unit.per).toFixed(4)} |`);
  }
}
