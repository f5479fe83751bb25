/**
 * Host behaviour models.dev does not record, kept as a declarative overlay on the catalog. The overlay is applied
 * whenever catalog data is built or read back from KV (`applyCatalogQuirks`), so it survives `catalog:update`
 * rewriting snapshot.json and a KV copy written by an older deploy. Converters read the resulting capabilities;
 * no converter tests a model id.
 */
import type { z } from "zod";
import type { CatalogData, CatalogEntry } from "./schema.ts";
import type { capabilitiesSchema, toolChoiceFormSchema } from "./schema.ts";
import type { Service } from "./types.ts";

export type ToolChoiceForm = z.infer<typeof toolChoiceFormSchema>;
export type QuirkCapabilities = Pick<
  z.infer<typeof capabilitiesSchema>,
  "toolChoiceWithThinking" | "thinkingAlwaysOn" | "serverTools"
>;

export interface QuirkRow {
  /** Case-insensitive; `id` is an exact model id, `idPrefix` a prefix of it. No `service` means both services. */
  match: { service?: Service } & ({ id: string } | { idPrefix: string });
  capabilities: Partial<QuirkCapabilities>;
}

/** What a model gets when no row says otherwise: forward the client's tool choice, thinking can be turned off. */
export const defaultQuirkCapabilities: QuirkCapabilities = {
  toolChoiceWithThinking: ["auto", "required", "named"],
  thinkingAlwaysOn: false,
};

/**
 * Every matching row applies, in order, so a later (narrower) row refines an earlier one. Sources: the provider
 * quirks reference (shared/reference/provider-quirks.md) and the threads it cites. Kimi rows carry no
 * `service`: Go and Zen both serve Kimi through Moonshot's API.
 */
export const catalogQuirks: readonly QuirkRow[] = [
  // provider-quirks.md §2 "tool_choice limits": with thinking on, every Kimi answers 400 to `required`
  // ("tool_choice 'required' is incompatible with thinking enabled") and to a named tool ("… 'specified' …").
  { match: { idPrefix: "kimi-" }, capabilities: { toolChoiceWithThinking: ["auto"] } },
  // §2: K3 accepts `required` with thinking but still rejects a named tool (probe matrix in
  // UKGovernmentBEIS/inspect_ai#5152); K3 is always thinking, its effort set by `reasoning_effort`.
  {
    match: { idPrefix: "kimi-k3" },
    capabilities: { toolChoiceWithThinking: ["auto", "required"], thinkingAlwaysOn: true },
  },
  // §2: `thinking: {type:"disabled"}` → 400 "invalid thinking: only type=enabled is allowed for this model"
  // (also lobehub/lobehub#15725, can1357/oh-my-pi#3853).
  { match: { idPrefix: "kimi-k2.7-code" }, capabilities: { thinkingAlwaysOn: true } },
  // §2: kimi-k2-thinking is always on.
  { match: { id: "kimi-k2-thinking" }, capabilities: { thinkingAlwaysOn: true } },
  // Zen proxies Claude to Anthropic, which runs web_search / web_fetch itself (web-tools.md): passed through.
  { match: { service: "zen", idPrefix: "claude-" }, capabilities: { serverTools: true } },
];

/** The quirk capabilities of one model: the defaults, then every matching row in order. */
export function quirksFor(
  service: Service,
  id: string,
  rows: readonly QuirkRow[] = catalogQuirks,
): QuirkCapabilities {
  const lower = id.toLowerCase();
  let result: QuirkCapabilities = { ...defaultQuirkCapabilities };
  for (const row of rows) {
    if (row.match.service && row.match.service !== service) continue;
    const hit = "id" in row.match
      ? lower === row.match.id.toLowerCase()
      : lower.startsWith(row.match.idPrefix.toLowerCase());
    if (hit) result = { ...result, ...row.capabilities };
  }
  return result;
}

/**
 * A copy of `data` whose quirk fields come from `rows` alone: whatever an entry carried before (an older
 * deploy's overlay, the defaults models_dev.ts fills in) is replaced, so removing a row takes effect too.
 */
export function applyCatalogQuirks(
  data: CatalogData,
  rows: readonly QuirkRow[] = catalogQuirks,
): CatalogData {
  const apply = (service: Service) => (entry: CatalogEntry): CatalogEntry => {
    // Absent means false, so a flag an older overlay set is dropped before the current rows apply.
    const { serverTools: _, ...capabilities } = entry.capabilities;
    return { ...entry, capabilities: { ...capabilities, ...quirksFor(service, entry.id, rows) } };
  };
  return {
    ...data,
    services: { go: data.services.go.map(apply("go")), zen: data.services.zen.map(apply("zen")) },
  };
}
