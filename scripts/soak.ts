/**
 * Soak test (not in CI): N concurrent streaming clients for M minutes through the real gateway on
 * 127.0.0.1:0 against an in-process fake upstream on 127.0.0.1:0. Prints RSS and heap every 10 s, then
 * errors, open file descriptors and the memory growth after warm-up. Bounded: it stops itself.
 *
 *   deno task soak --streams 50 --minutes 2 [--abort-rate 0.1] [--fail-rate 0.02] [--chunks 60] [--chunk-ms 20]
 */
import { parseConfig } from "../lib/config.ts";
import type { Catalog, ResolvedModel } from "../lib/catalog/types.ts";
import { createGateway } from "../lib/gateway.ts";
import { defaultQuirkCapabilities } from "../lib/catalog/quirks.ts";

interface Options {
  streams: number;
  minutes: number;
  /** Share of clients that hang up mid-stream (exercises the abort path). */
  abortRate: number;
  /** Share of upstream answers that are a 503 (exercises retries). */
  failRate: number;
  /** Text chunks per upstream answer, and the pause between them. */
  chunks: number;
  chunkMs: number;
  reportSeconds: number;
}

function parseOptions(args: string[]): Options {
  const options: Options = {
    streams: 10,
    minutes: 1,
    abortRate: 0.1,
    failRate: 0.02,
    chunks: 60,
    chunkMs: 20,
    reportSeconds: 10,
  };
  const names: Record<string, keyof Options> = {
    "--streams": "streams",
    "--minutes": "minutes",
    "--abort-rate": "abortRate",
    "--fail-rate": "failRate",
    "--chunks": "chunks",
    "--chunk-ms": "chunkMs",
    "--report-seconds": "reportSeconds",
  };
  for (let index = 0; index < args.length; index++) {
    const [flag, inline] = args[index].split("=", 2);
    const key = names[flag];
    if (!key) throw new Error(`Unknown flag: ${flag} (known: ${Object.keys(names).join(", ")})`);
    const value = Number(inline ?? args[++index]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a number`);
    options[key] = value;
  }
  options.streams = Math.min(Math.max(1, Math.floor(options.streams)), 2_000);
  options.minutes = Math.min(options.minutes, 120);
  return options;
}

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Chat Completions upstream that streams `chunks` text deltas, then a finish and usage. */
function startFakeUpstream(options: Options) {
  let served = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    await request.arrayBuffer();
    served++;
    if (Math.random() < options.failRate) {
      return Response.json({ type: "error", error: { type: "error", message: "busy" } }, { status: 503 });
    }
    const chunk = (delta: unknown, finish: string | null = null) =>
      encoder.encode(`data: ${
        JSON.stringify({
          id: "chatcmpl-soak",
          object: "chat.completion.chunk",
          created: 1,
          model: "soak-model",
          choices: [{ index: 0, delta, finish_reason: finish }],
        })
      }\n\n`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (request.signal.aborted) return controller.close();
        if (sent === 0) controller.enqueue(chunk({ role: "assistant", content: "" }));
        else if (sent <= options.chunks) {
          await sleep(options.chunkMs);
          controller.enqueue(chunk({ content: `token ${sent} ` }));
        } else {
          controller.enqueue(chunk({}, "stop"));
          controller.enqueue(encoder.encode(
            `data: ${
              JSON.stringify({
                id: "chatcmpl-soak",
                object: "chat.completion.chunk",
                choices: [],
                usage: {
                  prompt_tokens: 100,
                  completion_tokens: options.chunks,
                  total_tokens: 100 + options.chunks,
                },
              })
            }\n\ndata: [DONE]\n\n`,
          ));
          controller.close();
        }
        sent++;
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    served: () => served,
    close: () => server.shutdown(),
  };
}

function soakCatalog(baseUrl: string): Catalog {
  const model: ResolvedModel = {
    requested: "soak-model",
    service: "go",
    baseUrl,
    family: "openai-chat",
    upstreamModel: "soak-model",
    limits: { context: 262_144, output: 32_768 },
    capabilities: {
      reasoning: false,
      toolCall: true,
      image: false,
      pdf: false,
      interleavedField: null,
      efforts: null,
      temperature: true,
      ...defaultQuirkCapabilities,
    },
    matchedBy: "exact",
  };
  return {
    resolve: (name) => Promise.resolve({ ...model, requested: name }),
    list: () => Promise.resolve([]),
  };
}

function openFileDescriptors(): number | undefined {
  try {
    return [...Deno.readDirSync("/proc/self/fd")].length;
  } catch {
    return undefined; // not Linux
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

interface Counters {
  streams: number;
  aborted: number;
  errors: number;
  errorKinds: Map<string, number>;
  logLines: number;
}

async function clientLoop(gatewayUrl: string, options: Options, deadline: number, counters: Counters) {
  const body = JSON.stringify({
    model: "soak-model",
    max_tokens: 1024,
    stream: true,
    messages: [{ role: "user", content: "Tell me a long story." }],
  });
  while (performance.now() < deadline) {
    const hangUp = Math.random() < options.abortRate;
    const controller = new AbortController();
    try {
      const response = await fetch(`${gatewayUrl}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "sk-soak" },
        body,
        signal: controller.signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        countError(counters, `http ${response.status}`);
        continue;
      }
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let tail = "";
      let reads = 0;
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        tail = (tail + decoder.decode(value, { stream: true })).slice(-200);
        if (hangUp && ++reads === 10) {
          controller.abort();
          counters.aborted++;
          break;
        }
      }
      if (hangUp && reads >= 10) continue;
      if (tail.includes("event: message_stop")) counters.streams++;
      else countError(counters, tail.includes("event: error") ? "stream error event" : "stream cut");
    } catch (error) {
      if (controller.signal.aborted) continue;
      countError(counters, (error as Error).name);
    }
  }
}

function countError(counters: Counters, kind: string) {
  counters.errors++;
  counters.errorKinds.set(kind, (counters.errorKinds.get(kind) ?? 0) + 1);
}

async function main() {
  const options = parseOptions(Deno.args);
  const durationMs = options.minutes * 60_000;
  // Self-stop: whatever happens, the process ends shortly after the planned duration.
  const watchdog = setTimeout(() => {
    console.error("soak: watchdog fired, exiting");
    Deno.exit(2);
  }, durationMs + 60_000);
  const fdsAtStart = openFileDescriptors();
  const upstream = startFakeUpstream(options);
  const counters: Counters = { streams: 0, aborted: 0, errors: 0, errorKinds: new Map(), logLines: 0 };
  const config = parseConfig({
    OPENCODE_GO_URL: upstream.url,
    RETRIES: "2",
    RETRY_BASE_DELAY_MS: "50",
    PING_INTERVAL_MS: "5000",
    LOG_LEVEL: "info",
  });
  const handler = createGateway(config, {
    catalog: soakCatalog(upstream.url),
    log: () => counters.logLines++,
  });
  const gateway = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  const gatewayUrl = `http://127.0.0.1:${gateway.addr.port}`;
  console.log(
    `soak: ${options.streams} concurrent streams for ${options.minutes} min; ` +
      `${options.chunks} chunks × ${options.chunkMs} ms per answer; abort rate ${options.abortRate}, ` +
      `upstream 503 rate ${options.failRate}; gateway ${gatewayUrl}, upstream ${upstream.url}`,
  );
  const started = performance.now();
  const deadline = started + durationMs;
  const samples: { seconds: number; rss: number; heap: number }[] = [];
  const report = () => {
    const memory = Deno.memoryUsage();
    const seconds = Math.round((performance.now() - started) / 1000);
    samples.push({ seconds, rss: memory.rss, heap: memory.heapUsed });
    console.log(
      `t=${String(seconds).padStart(4)}s rss=${mb(memory.rss)} MB heap=${mb(memory.heapUsed)} MB ` +
        `streams=${counters.streams} aborted=${counters.aborted} errors=${counters.errors} ` +
        `fds=${openFileDescriptors() ?? "?"}`,
    );
  };
  report();
  const ticker = setInterval(report, options.reportSeconds * 1000);
  const loops = Array.from(
    { length: options.streams },
    () => clientLoop(gatewayUrl, options, deadline, counters),
  );
  await Promise.all(loops);
  clearInterval(ticker);
  report();
  await gateway.shutdown();
  await upstream.close();
  await sleep(200);
  const fdsAtEnd = openFileDescriptors();

  const warm = samples.find((sample) => sample.seconds >= Math.min(30, durationMs / 4000)) ?? samples[0];
  const last = samples.at(-1)!;
  const minutesAfterWarmup = Math.max((last.seconds - warm.seconds) / 60, 1 / 60);
  const summary = {
    streams: options.streams,
    minutes: options.minutes,
    completedStreams: counters.streams,
    clientAborts: counters.aborted,
    upstreamRequests: upstream.served(),
    errors: counters.errors,
    errorKinds: Object.fromEntries(counters.errorKinds),
    logLines: counters.logLines,
    rssAfterWarmupMb: Number(mb(warm.rss)),
    rssEndMb: Number(mb(last.rss)),
    rssPeakMb: Number(mb(Math.max(...samples.map((sample) => sample.rss)))),
    rssGrowthMbPerMinuteAfterWarmup: Number(
      ((last.rss - warm.rss) / 1024 / 1024 / minutesAfterWarmup).toFixed(2),
    ),
    heapAfterWarmupMb: Number(mb(warm.heap)),
    heapEndMb: Number(mb(last.heap)),
    openFdsAtStart: fdsAtStart,
    openFdsAtEnd: fdsAtEnd,
  };
  console.log(`soak summary: ${JSON.stringify(summary)}`);
  clearTimeout(watchdog);
}

if (import.meta.main) await main();
