/** `MODEL_FALLBACKS` (`kimi-k2.6=glm-5.1|deepseek-v4-pro,glm-5.1=kimi-k2.6`): other models to try, in order. */
import type { ResolvedModel } from "../catalog/types.ts";

export type FallbackTable = ReadonlyMap<string, readonly string[]>;

/**
 * Parses the setting; blank or malformed entries (no `=`, nothing on one side) are skipped.
 *
 * @example
 * ```ts
 * parseModelFallbacks("kimi-k2.6=glm-5.1|deepseek-v4-pro").get("kimi-k2.6"); // ["glm-5.1", "deepseek-v4-pro"]
 * ```
 */
export function parseModelFallbacks(setting: string): FallbackTable {
  const table = new Map<string, string[]>();
  for (const entry of setting.split(",")) {
    const equals = entry.indexOf("=");
    if (equals === -1) continue;
    const from = entry.slice(0, equals).trim();
    const to = entry.slice(equals + 1).split("|").map((name) => name.trim()).filter((name) =>
      name.length > 0 && name !== from
    );
    if (from.length > 0 && to.length > 0) table.set(from, to);
  }
  return table;
}

/** Fallbacks for a model, looked up by the upstream id first, then by the name the client sent. */
export function fallbacksFor(table: FallbackTable, model: ResolvedModel): readonly string[] {
  return table.get(model.upstreamModel) ?? table.get(model.requested) ?? [];
}
