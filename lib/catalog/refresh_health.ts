/**
 * Consecutive catalog refresh failures: how long to wait before the next try (doubling from one minute up to
 * the catalog TTL) and one structured warning per streak that says which catalog is answering meanwhile. An
 * offline gateway used to print the same plain-text line every minute.
 */
import type { LogLevel } from "../log/logger.ts";

/** First wait after a failed refresh; the store never waits longer than CATALOG_TTL_SECONDS. */
export const failureRetryMs = 60_000;

export type CatalogLog = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export interface RefreshFailure {
  /** One line per failed source, or the error that ended the refresh. */
  reasons: string[];
  /** What requests are answered from meanwhile. */
  inUse: "bundled snapshot" | "stale cache" | "fresh models.dev data";
  /** When the copy in use was fetched (epoch ms; 0 for the snapshot). */
  fetchedAt: number;
}

export class RefreshHealth {
  #failures = 0;
  readonly #log: CatalogLog;
  readonly #ttlMs: number;

  constructor(log: CatalogLog, ttlSeconds: number) {
    this.#log = log;
    this.#ttlMs = ttlSeconds * 1000;
  }

  get failures(): number {
    return this.#failures;
  }

  /** Records a failure; returns the wait before the next try. Only a streak's first failure warns. */
  failed(failure: RefreshFailure): number {
    this.#failures++;
    const base = Math.min(failureRetryMs, this.#ttlMs);
    const retryMs = Math.min(base * 2 ** Math.min(this.#failures - 1, 20), Math.max(base, this.#ttlMs));
    this.#log(this.#failures === 1 ? "warn" : "debug", "catalog refresh failed", {
      event: "catalog_refresh_failed",
      catalog_in_use: failure.inUse,
      ...(failure.fetchedAt > 0 ? { catalog_fetched_at: new Date(failure.fetchedAt).toISOString() } : {}),
      reasons: failure.reasons.map((reason) => reason.slice(0, 300)),
      consecutive_failures: this.#failures,
      next_try_in_s: Math.round(retryMs / 1000),
      note: this.#failures === 1
        ? "further failures are logged at debug level until a refresh succeeds"
        : undefined,
    });
    return retryMs;
  }

  succeeded(): void {
    if (this.#failures === 0) return;
    this.#log("info", "catalog refresh recovered", {
      event: "catalog_refresh_recovered",
      after_failures: this.#failures,
    });
    this.#failures = 0;
  }
}
