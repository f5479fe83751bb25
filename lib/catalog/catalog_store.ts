/**
 * Stale-while-revalidate over memory, Deno KV and the network. A request is answered from the copy in memory
 * (or KV, or the bundled snapshot on a cold start) at once; a stale copy starts one background refresh, and
 * concurrent callers share it. A refresh whose metadata source fails keeps the previous copy and retries later.
 */
import type { Config } from "../config.ts";
import { buildCatalogData } from "./catalog_data.ts";
import type { CatalogData } from "./schema.ts";
import { readCatalogFromKv, writeCatalogToKv } from "./catalog_kv.ts";
import { fetchSources } from "./fetch_catalog.ts";
import type { ModelsDevProviders } from "./models_dev.ts";

export interface CatalogStoreOptions {
  config: Config;
  fetch: typeof fetch;
  kv?: Deno.Kv;
  /** Bundled models.dev-shaped metadata, used when the network has never answered. */
  snapshot: () => ModelsDevProviders;
  /** Epoch milliseconds; tests pass a fake clock. */
  now: () => number;
  log: (message: string) => void;
}

/** How long to wait before asking the network again after a failed refresh. */
export const failureRetryMs = 60_000;

export class CatalogStore {
  #options: CatalogStoreOptions;
  #data?: CatalogData;
  #loading?: Promise<CatalogData>;
  #refreshing?: Promise<void>;
  #retryAt = 0;

  constructor(options: CatalogStoreOptions) {
    this.#options = options;
  }

  /** The copy to answer from now; kicks a background refresh when it is stale. */
  async current(): Promise<CatalogData> {
    const data = this.#data ?? await (this.#loading ??= this.#load());
    const now = this.#options.now();
    if (now >= data.expiresAt && now >= this.#retryAt) this.#startRefresh();
    return this.#data ?? data;
  }

  /** The refresh in flight, if any (tests await it so no fetch outlives them). */
  get refreshing(): Promise<void> | undefined {
    return this.#refreshing;
  }

  /** Starts a refresh unless one is in flight, and returns it. */
  refresh(): Promise<void> {
    return this.#startRefresh();
  }

  #startRefresh(): Promise<void> {
    this.#refreshing ??= this.#refreshOnce()
      .catch((error) => this.#options.log(`Catalog refresh failed: ${(error as Error).message}`))
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  async #load(): Promise<CatalogData> {
    const stored = await this.#readKv();
    // A cold start with nothing stored answers from the snapshot (already stale) while the refresh runs.
    this.#data ??= stored ?? this.#fromSnapshot({}, 0, 0);
    return this.#data;
  }

  async #refreshOnce(): Promise<void> {
    const { config, now } = this.#options;
    // Another isolate (Deno Deploy) may have refreshed the shared KV copy already.
    const stored = await this.#readKv();
    if (stored && stored.expiresAt > now() && stored.fetchedAt > (this.#data?.fetchedAt ?? -1)) {
      this.#data = stored;
      return;
    }
    const sources = await fetchSources(config, this.#options.fetch);
    const fetchedAt = now();
    if (sources.errors.length > 0) this.#options.log(`Catalog sources failed: ${sources.errors.join("; ")}`);
    if (!sources.modelsDev) {
      const retryMs = Math.min(failureRetryMs, config.CATALOG_TTL_SECONDS * 1000);
      this.#retryAt = fetchedAt + retryMs;
      // Keep real models.dev data (even stale) over the snapshot; otherwise merge what the live lists said.
      if (this.#data?.source !== "models.dev") {
        this.#data = this.#fromSnapshot(sources.live, fetchedAt, fetchedAt + retryMs);
      }
      return;
    }
    this.#retryAt = 0;
    this.#data = buildCatalogData(sources.modelsDev, {
      source: "models.dev",
      fetchedAt,
      expiresAt: fetchedAt + config.CATALOG_TTL_SECONDS * 1000,
      live: sources.live,
    });
    if (this.#options.kv) await writeCatalogToKv(this.#options.kv, this.#data);
  }

  #fromSnapshot(live: Parameters<typeof buildCatalogData>[1]["live"], fetchedAt: number, expiresAt: number) {
    return buildCatalogData(this.#options.snapshot(), { source: "snapshot", fetchedAt, expiresAt, live });
  }

  async #readKv(): Promise<CatalogData | undefined> {
    if (!this.#options.kv) return undefined;
    try {
      return await readCatalogFromKv(this.#options.kv);
    } catch (error) {
      this.#options.log(`Catalog KV read failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}
