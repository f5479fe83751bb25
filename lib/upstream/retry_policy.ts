/**
 * When to try an upstream call again, and how long to wait: exponential backoff with jitter, the upstream's
 * `retry-after` honoured up to a cap. Only used before any byte has reached the client.
 */
import type { GatewayError } from "../errors/gateway_error.ts";
import { UpstreamError } from "./fetch_upstream.ts";

export interface RetryPolicy {
  /** Extra attempts on the same model after the first. */
  retries: number;
  /** First backoff delay; doubled per attempt. */
  baseDelayMs: number;
  /** Longest wait the gateway accepts, from backoff or from `retry-after`. */
  capMs: number;
  /** Injectable for tests; defaults to Math.random. */
  random?: () => number;
}

export type RetryDecision =
  | { action: "retry"; delayMs: number }
  /** Give up on this model; a configured fallback may still be tried. */
  | { action: "fallback" }
  /** The error goes to the client as it is. */
  | { action: "fail" };

/**
 * Connection failures, upstream 5xx and 529 are worth another attempt. A 429 is not: OpenCode's quota errors
 * last hours, and Claude Code retries short rate limits itself.
 */
export function isRetryableFailure(error: GatewayError): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.failure === "connect") return true;
  return error.failure === "http" && error.upstreamStatus !== undefined && error.upstreamStatus >= 500;
}

/**
 * What to do after attempt number `attempt` (0 for the first) failed with `error`.
 *
 * @example
 * ```ts
 * retryDecision(new UpstreamError(new GatewayError("overloaded_error", "busy"), "http", 529), 0, policy);
 * // { action: "retry", delayMs: 250…500 }
 * ```
 */
export function retryDecision(error: GatewayError, attempt: number, policy: RetryPolicy): RetryDecision {
  if (!(error instanceof UpstreamError) || error.failure === "aborted") return { action: "fail" };
  // A connect timeout already cost CONNECT_TIMEOUT_MS: trying the same model again rarely helps.
  if (error.failure === "timeout") return { action: "fallback" };
  if (!isRetryableFailure(error)) return { action: "fail" };
  if (attempt >= policy.retries) return { action: "fallback" };
  const backoff = backoffDelay(attempt, policy);
  const asked = parseRetryAfter(error.retryAfter);
  if (asked === undefined) return { action: "retry", delayMs: backoff };
  if (asked > policy.capMs) return { action: "fallback" };
  return { action: "retry", delayMs: Math.max(asked, backoff) };
}

/** `base · 2^attempt`, capped, with "equal jitter": between half and all of that. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.capMs, policy.baseDelayMs * 2 ** attempt);
  const random = policy.random ?? Math.random;
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `retry-after` as milliseconds: delta-seconds (decimals tolerated) or an HTTP date; undefined if unusable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects at once with the signal's reason when the client goes away. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
