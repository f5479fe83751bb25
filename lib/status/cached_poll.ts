/**
 * A value fetched at most once per interval and shared by concurrent readers: the status page asks for the
 * services' reachability and the Go usage on every render, the network sees one request per interval.
 */
export interface CachedPoll<T> {
  /** The cached value, refreshed first when older than its interval. */
  get(): Promise<T>;
  /**
   * Like get(), but waits at most `ms` for a refresh: past that, the previous value (undefined before the
   * first one) while the refresh goes on. A page render never hangs on a slow service.
   */
  within(ms: number): Promise<T | undefined>;
}

/**
 * @param load fetches a fresh value; it must not throw (fold failures into `T`)
 * @param maxAgeMs how long a value is served before the next read refreshes it
 * @param now epoch milliseconds; tests pass a fake clock
 */
export function cachedPoll<T>(
  load: () => Promise<T>,
  maxAgeMs: (value: T) => number,
  now: () => number = Date.now,
): CachedPoll<T> {
  let value: { data: T; at: number } | undefined;
  let pending: Promise<T> | undefined;
  const get = () => {
    if (value && now() - value.at < maxAgeMs(value.data)) return Promise.resolve(value.data);
    pending ??= load().then((data) => {
      value = { data, at: now() };
      return data;
    }).finally(() => pending = undefined);
    return pending;
  };
  return {
    get,
    async within(ms) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), ms));
      try {
        return await Promise.race([get(), late]) ?? value?.data;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** fetch with a deadline that leaves no timer behind (AbortSignal.timeout would hold one for the full limit). */
export async function fetchWithin(
  fetcher: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new DOMException("timed out", "TimeoutError")), timeoutMs);
  try {
    const response = await fetcher(url, { ...init, signal: abort.signal });
    // Read within the deadline too; the bodies polled here are small.
    const body = await response.arrayBuffer();
    return new Response(body, { status: response.status, headers: response.headers });
  } finally {
    clearTimeout(timer);
  }
}
