/**
 * Whether a request's web server tools go to the upstream as sent instead of being emulated: the catalog says
 * the model runs them itself (capability `serverTools`, quirks.ts), the client speaks Anthropic (whose blocks
 * the answer carries), and no fallback is configured for the model: a fallback may not know the tools, and the
 * choice has to hold for every upstream the request may reach.
 */
import type { RelayOptions } from "../relay_options.ts";
import { fallbacksFor, parseModelFallbacks } from "../upstream/model_fallbacks.ts";

export function runsServerToolsNatively(options: Pick<RelayOptions, "call" | "config" | "client">): boolean {
  const model = options.call.model;
  if (model.family !== "anthropic" || model.capabilities.serverTools !== true) return false;
  if (options.client.format !== "anthropic") return false;
  return fallbacksFor(parseModelFallbacks(options.config.MODEL_FALLBACKS), model).length === 0;
}
