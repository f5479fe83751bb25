/**
 * Model names across OpenCode and the configured providers. `<provider>/<id>` always names a provider model; a
 * bare id does when no other provider (OpenCode included) serves it, and is a 400 listing the qualified names
 * when several do; `/<provider>/v1/…` routes serve only that provider. Everything else is OpenCode's resolver.
 */
import type { CatalogData } from "../catalog/schema.ts";
import { findCloseMatches } from "../catalog/close_matches.ts";
import { listModels } from "../catalog/list_models.ts";
import { claudeAliasTarget, looksLikeClaude } from "../catalog/model_names.ts";
import { resolveModel } from "../catalog/resolve_model.ts";
import { checkModelName } from "../catalog/model_name_limits.ts";
import type { ModelListing, ResolvedModel, RouteOptions, Service } from "../catalog/types.ts";
import { type Config, DEFAULT_MODEL_NAME_MAX_LENGTH } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { ProviderDiscovery } from "./discover_models.ts";
import { type ProviderModel, providerModel } from "./provider_model.ts";
import { providerOf } from "./provider_request.ts";

export interface ProviderCatalogContext {
  data: CatalogData;
  config: Config;
  discovery: ProviderDiscovery;
}

function isOpenCode(service: string | undefined): service is Service | undefined {
  return service === undefined || service === "go" || service === "zen";
}

/** Every provider model: the file's entries, then discovered ids the file does not list. */
export async function providerModels(context: ProviderCatalogContext): Promise<ProviderModel[]> {
  const lists = await Promise.all(context.config.providers.map(async (provider) => {
    const models = provider.models.map((entry) => providerModel(provider, entry, context.data, "configured"));
    const listed = new Set(models.map((model) => model.id.toLowerCase()));
    for (const id of await context.discovery.ids(provider)) {
      if (!listed.has(id.toLowerCase())) {
        models.push(providerModel(provider, { id }, context.data, "discovered"));
        listed.add(id.toLowerCase());
      }
    }
    return models;
  }));
  return lists.flat();
}

function qualifiedName(model: ProviderModel): string {
  return `${model.provider.name}/${model.id}`;
}

function toResolved(model: ProviderModel, requested: string, matchedBy: string): ResolvedModel {
  return { ...model.model, requested, matchedBy };
}

/** Splits `local/coder` when `local` is a configured provider. */
function splitQualified(config: Config, name: string): { provider: string; id: string } | undefined {
  const slash = name.indexOf("/");
  if (slash <= 0) return undefined;
  const provider = config.providers.find((candidate) =>
    candidate.name.toLowerCase() === name.slice(0, slash).toLowerCase()
  );
  return provider ? { provider: provider.name, id: name.slice(slash + 1) } : undefined;
}

export async function resolveWithProviders(
  context: ProviderCatalogContext,
  name: string,
  options: RouteOptions = {},
): Promise<ResolvedModel> {
  const { config, data } = context;
  const route = options.service;
  // Bounded before any lookup or close-match search (a 30 MB name must cost nothing).
  checkModelName(name, config.MODEL_NAME_MAX_LENGTH ?? DEFAULT_MODEL_NAME_MAX_LENGTH);
  const trimmed = name.trim().replace(/\[1m\]$/i, "");
  if (isOpenCode(route) && config.providers.length === 0) {
    return resolveModel(data, config, name, { ...options, service: route });
  }
  const models = await providerModels(context);
  const tag = (matchedBy: string) => options.fromPath ? `path+${matchedBy}` : matchedBy;
  if (!isOpenCode(route)) {
    const provider = providerOf(config, route);
    if (!provider) throw new GatewayError("not_found_error", `No provider named ${route} is configured`);
    const qualified = splitQualified(config, trimmed);
    if (qualified && qualified.provider !== provider.name) {
      throw new GatewayError(
        "not_found_error",
        `Model ${name} names provider ${qualified.provider}, but this route only serves ${provider.name}: ` +
          `use the /${qualified.provider} route or drop the prefix`,
      );
    }
    return findIn(models.filter((model) => model.provider === provider), qualified?.id ?? trimmed, name, tag);
  }
  const qualified = splitQualified(config, trimmed);
  if (qualified && route === undefined) {
    const own = models.filter((model) => model.provider.name === qualified.provider);
    return findIn(own, qualified.id, name, tag);
  }
  if (route === undefined) {
    const matches = models.filter((model) => model.id.toLowerCase() === trimmed.toLowerCase());
    if (matches.length > 0) {
      const openCode = tryOpenCode(context, name);
      const names = matches.map(qualifiedName);
      if (openCode) {
        names.push(`${openCode.service === "go" ? "opencode-go" : "opencode"}/${openCode.upstreamModel}`);
      }
      if (names.length > 1) {
        throw new GatewayError(
          "invalid_request_error",
          `Model name ${name} is ambiguous: it is served by more than one provider. Name one of: ${
            names.join(", ")
          }`,
        );
      }
      return toResolved(matches[0], name, tag("provider"));
    }
    // MODEL_OPUS/SONNET/HAIKU may name a provider model (`local/coder`) for Claude Code's own model names.
    if (looksLikeClaude(trimmed)) {
      const { target } = claudeAliasTarget(trimmed, config);
      const aliasTarget = splitQualified(config, target);
      if (aliasTarget) {
        const own = models.filter((model) => model.provider.name === aliasTarget.provider);
        return { ...findIn(own, aliasTarget.id, name, tag), matchedBy: tag("claude-alias") };
      }
    }
  }
  try {
    return resolveModel(data, config, name, { ...options, service: route });
  } catch (error) {
    if (!(error instanceof GatewayError) || error.kind !== "not_found_error" || route !== undefined) {
      throw error;
    }
    const close = findCloseMatches(trimmed, models.map((model) => model.id)).flatMap((id) =>
      models.filter((model) => model.id === id).map(qualifiedName)
    );
    if (close.length === 0) throw error;
    throw new GatewayError(
      "not_found_error",
      `${error.message}. Configured providers serve: ${close.join(", ")}`,
    );
  }
}

function tryOpenCode(context: ProviderCatalogContext, name: string): ResolvedModel | undefined {
  try {
    const resolved = resolveModel(context.data, context.config, name);
    // A Claude name mapped through MODEL_* is an alias, not a model OpenCode serves under that name.
    return resolved.matchedBy === "claude-alias" ? undefined : resolved;
  } catch {
    return undefined;
  }
}

function findIn(
  models: ProviderModel[],
  id: string,
  requested: string,
  tag: (matchedBy: string) => string,
): ResolvedModel {
  const found = models.find((model) => model.id === id) ??
    models.find((model) => model.id.toLowerCase() === id.toLowerCase());
  if (found) return toResolved(found, requested, tag("provider"));
  const close = findCloseMatches(id, models.map((model) => model.id)).map((match) =>
    `${models[0].provider.name}/${match}`
  );
  const where = models[0]?.provider.name ?? "the provider";
  throw new GatewayError(
    "not_found_error",
    `Unknown model ${requested}: not served by ${where}${
      close.length ? `. Close matches: ${close.join(", ")}` : ""
    }. GET /v1/models lists every model`,
  );
}

/** OpenCode's listing plus every provider model as `<provider>/<id>` (only the provider's on its route). */
export async function listWithProviders(
  context: ProviderCatalogContext,
  options: RouteOptions = {},
): Promise<ModelListing[]> {
  const route = options.service;
  const openCode = isOpenCode(route)
    ? listModels(context.data, { ...options, service: route }, context.config.ZEN_FALLBACK !== false)
    : [];
  if (route === "go" || route === "zen" || context.config.providers.length === 0) return openCode;
  const models = (await providerModels(context)).filter((model) =>
    route === undefined || model.provider.name === route
  );
  return [
    ...openCode,
    ...models.map((model) => ({
      id: route === undefined ? qualifiedName(model) : model.id,
      displayName: `${model.id} (${model.provider.name})`,
      service: model.provider.name,
      family: model.model.family,
      created: 0,
    })),
  ];
}
