/** Sends one benchmark request, times it (first body byte, whole answer) and checks what came back. */
import { checkResponse } from "./check_response.ts";
import { replyFor } from "./replies.ts";
import type { BenchRequest } from "./requests.ts";

export interface Timing {
  /** Milliseconds to the first body byte. */
  ttfb: number;
  total: number;
  events: number;
}

const headers = {
  "content-type": "application/json",
  authorization: "Bearer bench-key",
  "x-api-key": "bench-key",
  "anthropic-version": "2023-06-01",
};

/** The benchmark's own connection pool, closed after the load so the gateway sees its clients go. */
let client = Deno.createHttpClient({});

export function closeConnections(): void {
  client.close();
  client = Deno.createHttpClient({});
}

export async function send(url: string, request: BenchRequest): Promise<Timing> {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers, body: request.body, client });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let ttfb = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!ttfb) ttfb = performance.now() - started;
    text += decoder.decode(value, { stream: true });
  }
  text += decoder.decode();
  const total = performance.now() - started;
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  const model = JSON.parse(request.body).model as string;
  try {
    const events = checkResponse(request.client, request.stream, text, replyFor(model)!);
    return { ttfb, total, events };
  } catch (error) {
    throw new Error(`${url} (${model}, stream ${request.stream}): ${(error as Error).message}`);
  }
}

/** `count` calls of `task`, at most `concurrency` at once; resolves with their results in finishing order. */
export async function runConcurrent<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
) {
  const results: T[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, async () => {
    while (next < count) results.push(await task(next++));
  }));
  return { results, ms: performance.now() - started };
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
