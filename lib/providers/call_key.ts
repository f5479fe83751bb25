/**
 * The route's key check, provider-aware: a configured provider may have its own key or need none (a local
 * server), so a client that sends no key is refused only once its model turns out to be OpenCode's. With
 * GATEWAY_KEYS the gateway key is checked first, as for every request.
 */
import type { ResolvedModel } from "../catalog/types.ts";
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import { providerOf } from "./provider_request.ts";

/** Before the model is known: the key, or undefined when only a provider model could still be served. */
export function earlyUpstreamKey(headers: Headers, config: Config): string | undefined {
  if (config.providers.length === 0 || config.GATEWAY_KEYS?.length) {
    return resolveUpstreamKey(headers, config);
  }
  try {
    return resolveUpstreamKey(headers, config);
  } catch (error) {
    if (error instanceof GatewayError && error.kind === "authentication_error") return undefined;
    throw error;
  }
}

/** Once the model is known: "" for a provider model (its key is chosen when the request is sent). */
export function upstreamKeyFor(headers: Headers, config: Config, model: ResolvedModel): string {
  return providerOf(config, model.service) ? "" : resolveUpstreamKey(headers, config);
}
