/**
 * The total time limit of one exchange. Unlike `AbortSignal.timeout`, whose timer (and the signal it
 * holds, about 2 KB) lives for the whole limit even after the response ended (an hour by default, so
 * ~180 MB at 25 requests/s), this timer is cleared as soon as the exchange is over.
 */

export interface TotalTimeout {
  /** Aborts with a `TimeoutError` DOMException when the limit is reached. */
  signal: AbortSignal;
  /** Stops the timer; safe to call more than once. */
  clear(): void;
}

export function totalTimeout(ms: number): TotalTimeout {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`Exceeded the total time limit of ${ms} ms`, "TimeoutError")),
    ms,
  );
  // A timer must never keep the process alive on its own (deno run, tests).
  Deno.unrefTimer(timer);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * One exchange's cancellation: the client going away, the gateway's own `abort`, or the total time limit, all
 * on `abort`'s own signal. `AbortSignal.any` would do the same with a dependent signal and weak references at
 * ~4.5 µs a request (measured with `deno bench`); a listener on the client's signal costs a tenth of that.
 */
export function exchangeSignal(clientSignal: AbortSignal, totalMs: number) {
  const abort = new AbortController();
  if (clientSignal.aborted) abort.abort(clientSignal.reason);
  else clientSignal.addEventListener("abort", () => abort.abort(clientSignal.reason), { once: true });
  const timer = setTimeout(
    () => abort.abort(new DOMException(`Exceeded the total time limit of ${totalMs} ms`, "TimeoutError")),
    totalMs,
  );
  Deno.unrefTimer(timer);
  const total = { clear: () => clearTimeout(timer) };
  return { abort, total, signal: abort.signal };
}
