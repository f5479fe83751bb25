/** PLACEHOLDER: replaced by the catalog implementation (models.dev + live lists + KV + snapshot). */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { Catalog } from "./types.ts";

export interface CatalogDeps {
  kv?: Deno.Kv;
  fetch: typeof fetch;
}

export function createCatalog(_config: Config, _deps: CatalogDeps): Catalog {
  return {
    resolve: () => Promise.reject(new GatewayError("not_found_error", "Catalog not implemented")),
    list: () => Promise.resolve([]),
  };
}
