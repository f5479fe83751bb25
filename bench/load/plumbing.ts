/**
 * What Deno's stream plumbing costs per chunk, apart from the gateway: `plumbing_proxy.ts` processes, one per
 * mode, forward the load benchmark's 1,000-event chat stream from the fake upstream; rounds alternate between
 * the modes and each proxy's CPU is read from /proc. `deno run -A bench/load/plumbing.ts [--rounds=6]
 * [--modes=native,pull,...]`.
 */
import { readCpuMs } from "../../tests/support/gateway_process.ts";
import { startFakeProcess } from "./fake_process.ts";
import { runConcurrent, send as sendChecked } from "./load_client.ts";
import { benchRequest } from "./requests.ts";

const args = new Map(Deno.args.map((arg) => arg.replace(/^--/, "").split("=") as [string, string]));
const rounds = Number(args.get("rounds") ?? 6);
const modeNames =
  (args.get("modes") ?? "native,transform,pull,byob,byobFresh,drain,drainByob,drainByobSlice,pump,pumpChat")
    .split(",");
const fake = await startFakeProcess();
const config = decodeURIComponent(new URL("../../deno.json", import.meta.url).pathname);
const script = decodeURIComponent(new URL("./plumbing_proxy.ts", import.meta.url).pathname);

async function startProxy(mode: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", `--config=${config}`, script, fake.url, mode],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/listening on (\S+)/.test(seen)) seen += (await reader.read()).value ?? "";
  return { mode, pid: child.pid, url: seen.match(/listening on (\S+)/)![1], child };
}

/** Checked for the forwarding modes; the drain modes answer with a byte count, so only read. */
const client = Deno.createHttpClient({});
async function send(url: string, request: ReturnType<typeof benchRequest>, mode: string) {
  if (!mode.startsWith("drain")) return await sendChecked(url, request);
  const response = await fetch(url, { method: "POST", body: request.body, client });
  await response.arrayBuffer();
}

const proxies = [];
for (const mode of modeNames) proxies.push(await startProxy(mode));
const request = benchRequest("openai-chat", "openai-chat", "text", "tiny", true);
const cpu: Record<string, number[]> = Object.fromEntries(modeNames.map((mode) => [mode, []]));
const streams = 64;
for (const proxy of proxies) {
  await runConcurrent(8, 8, () => send(`${proxy.url}/chat/completions`, request, proxy.mode));
}
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? proxies : [...proxies].reverse();
  for (const proxy of order) {
    const before = readCpuMs(proxy.pid);
    await runConcurrent(streams, 32, () => send(`${proxy.url}/chat/completions`, request, proxy.mode));
    cpu[proxy.mode].push((readCpuMs(proxy.pid) - before) / streams);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(cpu[modeNames[0]]);
for (const mode of modeNames) {
  const value = median(cpu[mode]);
  console.log(
    `${mode.padEnd(10)} CPU ms per 1000-chunk stream: median ${value.toFixed(1)} (×${
      (value / base).toFixed(2)
    })  ` +
      `runs ${cpu[mode].map((v) => v.toFixed(1)).join(" ")}`,
  );
}
for (const proxy of proxies) {
  proxy.child.kill("SIGTERM");

  await proxy.child.status;
}
client.close();
await fake.stop();
