/**
 * Extra fields on `GET /v1/models` entries (Anthropic shape) for the clients that discover models there:
 * `description` for Claude Code's /model picker (it shows "From gateway" otherwise), and for Claude Desktop
 * `anthropic_family_tier` + `is_family_default` on the claude-looking alias of each model a MODEL_* setting
 * names, so its picker knows which model stands for opus, sonnet and haiku (reference §7.1). Bare ids get no
 * tier: they would pass Desktop's filter too and show every model twice.
 */
import { endpointByFamily } from "../catalog/endpoint_path.ts";
import { parseModelName } from "../catalog/model_names.ts";
import type { ModelListing } from "../catalog/types.ts";
import type { Config } from "../config.ts";

const tiers = [["opus", "MODEL_OPUS"], ["sonnet", "MODEL_SONNET"], ["haiku", "MODEL_HAIKU"]] as const;
const serviceName = { go: "OpenCode Go", zen: "OpenCode Zen" } as const;

export function discoveryFields(listing: ModelListing, config: Config): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    description: `${serviceName[listing.service]} · ${endpointByFamily[listing.family]}`,
  };
  const form = parseModelName(listing.id);
  if (form.matchedBy !== "gateway-alias") return fields;
  for (const [tier, setting] of tiers) {
    const target = parseModelName(config[setting]);
    if (target.id === form.id && (target.service ?? "go") === form.service) {
      return { ...fields, anthropic_family_tier: tier, is_family_default: true };
    }
  }
  return fields;
}
