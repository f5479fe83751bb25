/**
 * Model settings that name no model a service serves (MODEL_OPUS/SONNET/HAIKU, VISION_MODEL): accepted by
 * the config schema, they would fail every request that needs them. Computed from the catalog copy in use,
 * so the status page sees the current answer: `await configWarnings(catalog, config)`.
 */
import type { Config } from "../config.ts";
import type { CatalogData } from "./schema.ts";
import type { ClaudeAliasSetting } from "./model_names.ts";
import { resolveAliasTarget, resolveModel } from "./resolve_model.ts";

export interface ConfigWarning {
  setting: ClaudeAliasSetting | "VISION_MODEL";
  value: string;
  /** What is wrong, in the resolver's own words (it names close matches and the other service). */
  problem: string;
}

const aliasSettings: readonly ClaudeAliasSetting[] = ["MODEL_OPUS", "MODEL_SONNET", "MODEL_HAIKU"];

/** The warnings for one catalog copy; empty when every model setting resolves. */
export function modelSettingWarnings(data: CatalogData, config: Config): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  for (const setting of aliasSettings) {
    const value = config[setting];
    try {
      resolveAliasTarget(data, config, value);
    } catch (error) {
      warnings.push({ setting, value, problem: (error as Error).message });
    }
  }
  const vision = config.VISION_MODEL;
  if (vision) {
    try {
      if (!resolveModel(data, config, vision).capabilities.image) {
        warnings.push({
          setting: "VISION_MODEL",
          value: vision,
          problem: "the model does not accept images",
        });
      }
    } catch (error) {
      warnings.push({ setting: "VISION_MODEL", value: vision, problem: (error as Error).message });
    }
  }
  return warnings;
}

/** The warnings against the catalog the gateway answers from now (for the status page). */
export async function configWarnings(
  catalog: { data(): Promise<CatalogData> },
  config: Config,
): Promise<ConfigWarning[]> {
  return modelSettingWarnings(await catalog.data(), config);
}
