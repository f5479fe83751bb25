/**
 * Many concurrent streams through the real gateway process, each client hanging up at a random moment (or
 * reading to the end), replaced at once by a new one, for a while; then: is any upstream connection still
 * open, and where is the gateway's memory. Used by tests/reliability/churn_test.ts (short) and scripts/churn.ts
 * (long, by hand).
 */
import type { Family } from "../../lib/catalog/types.ts";
import type { GatewayProcess } from "./gateway_process.ts";
import {
  type ClientFormat,
  clientFormats,
  clientRequest,
  eventually,
  families,
  familyModels,
  familyOf,
  isCatalogRequest,
  notFound,
} from "./process_setup.ts";
import type { RawAnswer, RawRequest, RawUpstream } from "./raw_upstream.ts";
import { renderScript } from "./upstream_scripts.ts";

export interface ChurnOptions {
  streams: number;
  seconds: number;
  /** Text deltas per upstream answer, `deltaMs` apart (default 40 × 20 ms: an 800 ms answer). */
  deltas?: number;
  deltaMs?: number;
  /** Longest a client reads before hanging up (default 1200 ms: about a third read to the end). */
  maxClientMs?: number;
  random?: () => number;
}

export interface ChurnReport {
  started: number;
  /** Clients that hung up mid-answer. */
  aborted: number;
  /** Clients that read a whole answer. */
  completed: number;
  /** Answers that were not a 200 or failed before the client chose to leave. */
  errors: number;
  /** Upstream connections still open once the churn stopped and the gateway had 10 s to close them. */
  openAfter: number;
  rssIdle: number;
  rssPeak: number;
  rssAfter: number;
}

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An upstream that answers each family's request with a slow, finite text stream. */
export function slowAnswers(options: ChurnOptions): (request: RawRequest) => RawAnswer {
  const deltas = options.deltas ?? 40;
  const deltaMs = options.deltaMs ?? 20;
  return (request) => {
    if (isCatalogRequest(request)) return notFound;
    const frames = renderScript(familyOf(request), {
      parts: [{ kind: "text", chunks: Array.from({ length: deltas }, (_, index) => `word${index} `) }],
      finish: "end",
      usage: { input: 5, output: deltas },
    });
    return {
      body: (async function* () {
        for (const frame of frames) {
          yield encoder.encode(frame);
          await sleep(deltaMs);
        }
      })(),
    };
  };
}

export async function churn(
  gateway: GatewayProcess,
  upstream: RawUpstream,
  options: ChurnOptions,
): Promise<ChurnReport> {
  const random = options.random ?? Math.random;
  const maxClientMs = options.maxClientMs ?? 1_200;
  const report: ChurnReport = {
    started: 0,
    aborted: 0,
    completed: 0,
    errors: 0,
    openAfter: 0,
    rssIdle: gateway.rssBytes(),
    rssPeak: 0,
    rssAfter: 0,
  };
  const sampler = setInterval(() => {
    report.rssPeak = Math.max(report.rssPeak, gateway.rssBytes());
  }, 200);
  const stopAt = performance.now() + options.seconds * 1000;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const worker = async () => {
    while (performance.now() < stopAt) {
      const family: Family = pick(families);
      const format: ClientFormat = pick(clientFormats);
      const client = new AbortController();
      const leaveAt = performance.now() + random() * maxClientMs;
      report.started++;
      let left = false;
      try {
        const response = await clientRequest(gateway.url, format, familyModels[family], {
          signal: client.signal,
        });
        if (response.status !== 200) {
          report.errors++;
          await response.body?.cancel();
          continue;
        }
        const reader = response.body!.getReader();
        while (true) {
          const wait = leaveAt - performance.now();
          if (wait <= 0) {
            left = true;
            break;
          }
          let timer: ReturnType<typeof setTimeout> | undefined;
          const result = await Promise.race([
            reader.read(),
            new Promise<"leave">((resolve) => timer = setTimeout(() => resolve("leave"), wait)),
          ]);
          clearTimeout(timer);
          if (result === "leave") {
            left = true;
            break;
          }
          if (result.done) break;
        }
        if (left) {
          client.abort();
          await reader.cancel().catch(() => {});
          report.aborted++;
        } else {
          report.completed++;
        }
      } catch {
        if (left || client.signal.aborted) report.aborted++;
        else report.errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.streams }, worker));
  clearInterval(sampler);
  await eventually(() => upstream.open() === 0, 10_000);
  report.openAfter = upstream.open();
  report.rssAfter = gateway.rssBytes();
  return report;
}
