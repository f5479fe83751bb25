/**
 * The model catalog: models.dev metadata merged with the services' live lists, cached in Deno KV with
 * stale-while-revalidate, falling back to the bundled snapshot so the gateway starts and routes offline.
 */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { CatalogData } from "./schema.ts";
import { CatalogStore } from "./catalog_store.ts";
import { listModels } from "./list_models.ts";
import { type ModelsDevProviders, parseModelsDevProviders } from "./models_dev.ts";
import { resolveModel } from "./resolve_model.ts";
import snapshotJson from "./snapshot.json" with { type: "json" };
import type { Catalog } from "./types.ts";

export interface CatalogDeps {
  /** Shared cache; without it the catalog lives in memory only. */
  kv?: Deno.Kv;
  fetch: typeof fetch;
  /** Epoch milliseconds (tests pass a fake clock). */
  now?: () => number;
  /** models.dev-shaped metadata to use instead of the bundled snapshot.json (tests). */
  snapshot?: unknown;
  log?: (message: string) => void;
}

/** The catalog plus handles for tests and the status page. */
export interface CachedCatalog extends Catalog {
  /** The background refresh in flight, if any. */
  readonly refreshing: Promise<void> | undefined;
  /** Resolves when no refresh is in flight (await before a test ends: sanitizers catch leaked fetches). */
  settled(): Promise<void>;
  /** Starts a refresh now (deduplicated) and waits for it. */
  refresh(): Promise<void>;
  /** The copy requests are answered from. */
  data(): Promise<CatalogData>;
}

let parsedSnapshot: ModelsDevProviders | undefined;

/** The bundled snapshot, parsed on first use. */
export function bundledSnapshot(): ModelsDevProviders {
  parsedSnapshot ??= parseModelsDevProviders(snapshotJson);
  return parsedSnapshot;
}

export function createCatalog(config: Config, deps: CatalogDeps): CachedCatalog {
  const snapshot = deps.snapshot === undefined
    ? bundledSnapshot
    : () => parseModelsDevProviders(deps.snapshot);
  const quiet = config.LOG_LEVEL === "error" || config.LOG_LEVEL === "silent";
  const store = new CatalogStore({
    config,
    fetch: deps.fetch,
    kv: deps.kv,
    snapshot,
    now: deps.now ?? Date.now,
    log: deps.log ?? ((message) => quiet || console.warn(message)),
  });
  return {
    async resolve(name, options) {
      try {
        return resolveModel(await store.current(), config, name, options);
      } catch (error) {
        // A model newer than the copy in hand may arrive with the refresh already under way (cold start).
        const pending = store.refreshing;
        if (!(error instanceof GatewayError) || error.kind !== "not_found_error" || !pending) throw error;
        await pending;
        return resolveModel(await store.current(), config, name, options);
      }
    },
    async list(options) {
      return listModels(await store.current(), options);
    },
    get refreshing() {
      return store.refreshing;
    },
    async settled() {
      while (store.refreshing) await store.refreshing;
    },
    refresh: () => store.refresh(),
    data: () => store.current(),
  };
}
