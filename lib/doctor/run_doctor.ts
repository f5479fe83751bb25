/** Runs every doctor check, for the `doctor` command and `GET /test-connection` alike. */
import type { CatalogData } from "../catalog/schema.ts";
import type { Catalog } from "../catalog/types.ts";
import type { Config } from "../config.ts";
import type { CheckResult } from "./check_result.ts";
import { checkModels, type GatewayHandler, type WantedModel } from "./model_checks.ts";
import { checkCatalog, checkGoUsage, checkKv, checkModelList } from "./service_checks.ts";

export interface DoctorInputs {
  config: Config;
  /** The OpenCode key requests would use; undefined when none is configured. */
  key?: string;
  /** Where the key came from, for the report (`OPENCODE_API_KEY`, `~/.claude/settings.json`). */
  keySource: string;
  wanted: WantedModel[];
  fetch: typeof fetch;
  catalog: Catalog;
  /** The catalog copy in use (source and age); omitted when the catalog cannot tell. */
  catalogData?: () => Promise<CatalogData>;
  kv?: Deno.Kv;
  kvError?: string;
  /** Where the tiny model requests go: the gateway itself, so resolution and translation are covered. */
  gateway: GatewayHandler;
  now?: () => number;
}

export async function runDoctor(inputs: DoctorInputs): Promise<CheckResult[]> {
  const { config, key } = inputs;
  const keyCheck: CheckResult = key
    ? { name: "OpenCode key", status: "ok", detail: `from ${inputs.keySource}` }
    : {
      name: "OpenCode key",
      status: "fail",
      detail: "none configured",
      fix:
        "Get a key at https://opencode.ai/auth, then run `deno task setup claude-code` (clients send it) " +
        "or set OPENCODE_API_KEY for the gateway.",
    };
  const skipped = (name: string): CheckResult => ({ name, status: "skip", detail: "no key" });
  const [go, zen, usage, kv, models, catalogData] = await Promise.all([
    key ? checkModelList(config, inputs.fetch, "go", key) : skipped("OpenCode Go: key and model list"),
    key ? checkModelList(config, inputs.fetch, "zen", key) : skipped("OpenCode Zen: key and model list"),
    key ? checkGoUsage(config, inputs.fetch, key) : skipped("OpenCode Go: usage limits"),
    checkKv(config, inputs.kv, inputs.kvError),
    checkModels(inputs.wanted, inputs.catalog, inputs.gateway, key),
    inputs.catalogData?.(),
  ]);
  const catalog = catalogData ? [checkCatalog(catalogData, (inputs.now ?? Date.now)())] : [];
  return [keyCheck, go, zen, usage, ...catalog, kv, ...models];
}
