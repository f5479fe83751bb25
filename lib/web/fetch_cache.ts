/**
 * The gateway's own fetcher remembers what it fetched: successful pages (keyed by fetch mode and normalised
 * URL) and parsed robots.txt files (keyed by origin), for WEB_FETCH_CACHE_TTL_MS, within
 * WEB_FETCH_CACHE_BYTES in total, least recently used first out. One instance per gateway (createGateway), so
 * two gateways in one process never share pages. Sizes are estimates of what the entries hold in memory.
 */
export interface FetchCacheOptions {
  maxBytes: number;
  ttlMs: number;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

interface Entry {
  value: unknown;
  bytes: number;
  expires: number;
}

export class FetchCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: FetchCacheOptions) {
    this.#maxBytes = options.maxBytes;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** Bytes held now (estimated), for tests and the curious. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get<T>(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.#now()) {
      this.#bytes -= entry.bytes;
      return undefined;
    }
    // Map order is the recency order: a hit moves to the end.
    this.#entries.set(key, entry);
    return entry.value as T;
  }

  /** Stores `value`; one larger than the whole budget is not kept (nor is anything with a zero budget). */
  set(key: string, value: unknown, bytes: number): void {
    this.delete(key);
    if (bytes > this.#maxBytes || this.#ttlMs <= 0) return;
    this.#dropExpired();
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes + bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
    this.#entries.set(key, { value, bytes, expires: this.#now() + this.#ttlMs });
    this.#bytes += bytes;
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expires <= now) {
        this.#entries.delete(key);
        this.#bytes -= entry.bytes;
      }
    }
  }
}

/** What a string costs in memory, near enough: two bytes a UTF-16 unit, plus the object around it. */
export function stringBytes(...values: (string | null | undefined)[]): number {
  return 64 + values.reduce((sum, value) => sum + 2 * (value?.length ?? 0), 0);
}
