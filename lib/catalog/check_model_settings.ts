/**
 * The startup check of the model settings: one loud structured warning when a setting names a model no service
 * serves, and a refusal to start when the only catalog there is is the bundled snapshot (offline) and the name
 * is not in it, since then nothing could ever make it work. Settings the bundled snapshot knows are taken as
 * they are, without loading the catalog; only a name it lacks makes the check load the catalog (KV, then
 * the network) before the gateway listens.
 */
import type { Config } from "../config.ts";
import { bundledSnapshot, type CachedCatalog } from "./catalog.ts";
import { buildCatalogData } from "./catalog_data.ts";
import type { CatalogData } from "./schema.ts";
import { type ConfigWarning, modelSettingWarnings } from "./config_warnings.ts";
import type { CatalogLog } from "./refresh_health.ts";

/** Returns the refusal message when the gateway must not start; logs the warning otherwise. */
export async function checkModelSettings(
  catalog: CachedCatalog,
  config: Config,
  log: CatalogLog,
): Promise<string | undefined> {
  // First against the bundled snapshot: no network and no KV before the first request (Deno Deploy's rule)
  // whenever the settings are fine, which is the usual case.
  if (modelSettingWarnings(snapshotData(), config).length === 0) return undefined;
  let data = await catalog.data();
  let warnings = modelSettingWarnings(data, config);
  if (warnings.length > 0 && data.source === "snapshot") {
    // A cold start answers from the snapshot while the first refresh runs: a newer model may be on its way.
    await catalog.settled();
    data = await catalog.data();
    warnings = modelSettingWarnings(data, config);
  }
  if (warnings.length === 0) return undefined;
  if (data.source === "snapshot") {
    return `Refusing to start: the model catalog could not be fetched (the bundled snapshot is in use), and ` +
      `it does not list these settings' models:\n${warnings.map(line).join("\n")}\n` +
      `Fix the names (GET /v1/models lists the models), or start once with network access to models.dev.`;
  }
  log("warn", "model settings name models no service serves", {
    event: "config_warning",
    catalog_source: data.source,
    warnings,
    effect: "requests that map to these settings fail with 404 until they are fixed",
  });
  return undefined;
}

function line(warning: ConfigWarning): string {
  return `  ${warning.setting}=${warning.value}: ${warning.problem}`;
}

let snapshot: CatalogData | undefined;

/** The bundled snapshot as the resolver sees it on a cold start (no live lists). */
function snapshotData(): CatalogData {
  snapshot ??= buildCatalogData(bundledSnapshot(), {
    source: "snapshot",
    fetchedAt: 0,
    expiresAt: 0,
    live: {},
  });
  return snapshot;
}
