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
 * Passes `body` through and calls `onEnd` once when it closes, fails or is cancelled (the client left).
 *
 * @example
 * ```ts
 * const timeout = totalTimeout(60_000);
 * return new Response(whenBodyEnds(body, timeout.clear));
 * ```
 */
export function whenBodyEnds(
  body: ReadableStream<Uint8Array>,
  onEnd: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const result = await reader.read();
        if (result.done) {
          end();
          controller.close();
        } else controller.enqueue(result.value);
      } catch (error) {
        end();
        controller.error(error);
      }
    },
    async cancel(reason) {
      end();
      await reader.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}
