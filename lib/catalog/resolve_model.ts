/**
 * Model name (+ route prefix) → where it lives and what it can do. Pure over a CatalogData; never guesses:
 * an unknown name is a 404 naming the closest ids.
 */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { CatalogData, CatalogEntry } from "./schema.ts";
import { findCloseMatches } from "./close_matches.ts";
import { claudeAliasTarget, looksLikeClaude, parseModelName } from "./model_names.ts";
import type { ResolvedModel, ResolveOptions, Service } from "./types.ts";

const serviceName: Record<Service, string> = { go: "OpenCode Go", zen: "OpenCode Zen" };
const indexCache = new WeakMap<CatalogData, Record<Service, Map<string, CatalogEntry>>>();

/** Case-insensitive id → entry maps, built once per catalog copy. */
function indexOf(data: CatalogData): Record<Service, Map<string, CatalogEntry>> {
  let index = indexCache.get(data);
  if (!index) {
    const build = (entries: CatalogEntry[]) =>
      new Map(entries.map((entry) => [entry.id.toLowerCase(), entry]));
    index = { go: build(data.services.go), zen: build(data.services.zen) };
    indexCache.set(data, index);
  }
  return index;
}

/** Exact id, then without a `-YYYYMMDD` date suffix (`claude-haiku-4-5-20251001`). */
export function findEntry(data: CatalogData, service: Service, id: string): CatalogEntry | undefined {
  const map = indexOf(data)[service];
  const lower = id.toLowerCase();
  return map.get(lower) ?? map.get(lower.replace(/-\d{8}$/, ""));
}

/**
 * Resolves a client's model name.
 *
 * @example
 * ```ts
 * resolveModel(data, config, "claude-opus-4-8"); // Go's MODEL_OPUS target, matchedBy "claude-alias"
 * resolveModel(data, config, "gpt-5.5"); // Zen (Go lacks it), matchedBy "zen-fallback"
 * ```
 */
export function resolveModel(
  data: CatalogData,
  config: Config,
  name: string,
  options: ResolveOptions = {},
): ResolvedModel {
  const resolved = resolveInner(data, config, name, options.service, true);
  return options.fromPath ? { ...resolved, matchedBy: `path+${resolved.matchedBy}` } : resolved;
}

function resolveInner(
  data: CatalogData,
  config: Config,
  name: string,
  route: Service | undefined,
  allowClaudeAlias: boolean,
): ResolvedModel {
  const form = parseModelName(name);
  if (form.service && route && form.service !== route) {
    throw new GatewayError(
      "not_found_error",
      `Model ${name} names ${serviceName[form.service]}, but this route only serves ${
        serviceName[route]
      }: use the /${form.service} route or drop the prefix`,
    );
  }
  const service = form.service ?? route;
  if (allowClaudeAlias && !form.service && service !== "zen" && looksLikeClaude(form.id)) {
    // Claude names on the default and /go routes always mean a Go model, never Zen's paid Claude.
    const { setting, target } = claudeAliasTarget(form.id, config);
    let aliased: ResolvedModel;
    try {
      // A bare target is looked up on Go only; an operator may still name Zen explicitly (`opencode/…`).
      const targetRoute = service ?? (parseModelName(target).service ? undefined : "go");
      aliased = resolveInner(data, config, target, targetRoute, false);
    } catch (error) {
      throw new GatewayError(
        "not_found_error",
        `Model ${name} maps to ${target} (${setting}), which is not available: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return { ...aliased, requested: name, matchedBy: "claude-alias" };
  }
  const searched: Service[] = service ? [service] : ["go", "zen"];
  for (const candidate of searched) {
    const entry = findEntry(data, candidate, form.id);
    if (!entry) continue;
    const matchedBy = form.matchedBy ?? (candidate === "zen" && !service ? "zen-fallback" : "exact");
    return toResolved(entry, candidate, name, matchedBy, config);
  }
  throw unknownModel(data, name, form.id, searched);
}

function toResolved(
  entry: CatalogEntry,
  service: Service,
  requested: string,
  matchedBy: string,
  config: Config,
): ResolvedModel {
  return {
    requested,
    service,
    baseUrl: service === "go" ? config.OPENCODE_GO_URL : config.OPENCODE_ZEN_URL,
    family: entry.family,
    upstreamModel: entry.id,
    limits: { context: entry.context, output: entry.output },
    capabilities: entry.capabilities,
    matchedBy,
  };
}

function unknownModel(data: CatalogData, name: string, id: string, searched: Service[]): GatewayError {
  const ids = searched.flatMap((service) => data.services[service].map((entry) => entry.id));
  const close = findCloseMatches(id, ids);
  const where = searched.map((service) => serviceName[service]).join(" or ");
  const hint = close.length > 0 ? `. Close matches: ${close.join(", ")}` : "";
  return new GatewayError(
    "not_found_error",
    `Unknown model ${name}: not served by ${where}${hint}. GET /v1/models lists every model`,
  );
}
