/**
 * Every name a client may use on a route, including the claude-looking aliases Claude Code's gateway
 * discovery and Claude Desktop need (they keep only ids containing "claude").
 */
import type { CatalogData } from "./schema.ts";
import { findEntry } from "./resolve_model.ts";
import { gatewayAliasFor, looksLikeClaude } from "./model_names.ts";
import type { ModelListing, ResolveOptions, Service } from "./types.ts";

const label: Record<Service, string> = { go: "Go", zen: "Zen, billed to balance" };

export function listModels(data: CatalogData, options: ResolveOptions = {}): ModelListing[] {
  const listings: ModelListing[] = [];
  const add = (service: Service, routeService: Service | undefined) => {
    for (const entry of data.services[service]) {
      if (!routeService) {
        // On the default route a bare id goes to Go first, and Claude names are aliases for Go models.
        if (service === "zen" && (findEntry(data, "go", entry.id) || looksLikeClaude(entry.id))) continue;
      }
      const base = { service, family: entry.family, created: entry.created };
      listings.push({ ...base, id: entry.id, displayName: `${entry.name} (${label[service]})` });
      const alias = gatewayAliasFor(service, entry.id);
      if (alias) listings.push({ ...base, id: alias, displayName: `${entry.name} (${label[service]})` });
    }
  };
  if (options.service) add(options.service, options.service);
  else {
    add("go", undefined);
    add("zen", undefined);
  }
  return listings;
}
