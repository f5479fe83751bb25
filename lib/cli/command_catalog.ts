/**
 * The catalog as a command sees it: the same KV copy the server keeps (when KV opens), refreshed from the
 * network first when that copy is missing or stale, unless the command runs offline.
 */
import { type CachedCatalog, createCatalog } from "../catalog/catalog.ts";
import type { CatalogData } from "../catalog/schema.ts";
import type { Config } from "../config.ts";

export interface CommandCatalogDeps {
  fetch?: typeof fetch;
  /** A KV to use; otherwise the one at KV_PATH is opened (and closed by `close`). */
  kv?: Deno.Kv;
  /** Skip the network: answer from KV or the bundled snapshot. */
  offline?: boolean;
  now?: () => number;
}

export interface CommandCatalog {
  catalog: CachedCatalog;
  data: CatalogData;
  kv?: Deno.Kv;
  /** Why KV could not be opened, if it could not. */
  kvError?: string;
  close(): void;
}

export async function openCommandCatalog(
  config: Config,
  deps: CommandCatalogDeps = {},
): Promise<CommandCatalog> {
  let kv = deps.kv;
  let kvError: string | undefined;
  let ownKv = false;
  if (!kv) {
    try {
      kv = await Deno.openKv(config.KV_PATH);
      ownKv = true;
    } catch (error) {
      kvError = (error as Error).message;
    }
  }
  const catalog = createCatalog(config, {
    kv,
    // Offline: a stale copy still starts the store's own background refresh, which must fail at once.
    fetch: deps.offline ? () => Promise.reject(new Error("offline")) : deps.fetch ?? globalThis.fetch,
    now: deps.now,
    // Commands print their own findings; the store's warnings would only interleave with them.
    log: () => {},
  });
  let data = await catalog.data();
  const now = (deps.now ?? Date.now)();
  if (!deps.offline && (data.source === "snapshot" || now >= data.expiresAt)) {
    await catalog.refresh();
    data = await catalog.data();
  }
  await catalog.settled();
  return {
    catalog,
    data,
    kv,
    kvError,
    close: () => {
      if (ownKv) kv?.close();
    },
  };
}
