/**
 * The relay's hook for web tools: history blocks no upstream understands are rewritten (web_history.ts), and
 * a request that declares web_search / web_fetch is routed to the emulation loop, unless the model runs them.
 */
import type { HubRequest } from "../hub/schema.ts";
import { rewriteWebHistory } from "./web_history.ts";
import { nativeWebHistory } from "./native_web_history.ts";
import { type WebToolSpecs, webToolSpecs } from "./web_tool_specs.ts";

export function prepareWebRequest(
  request: HubRequest,
  native = false,
): { request: HubRequest; specs?: WebToolSpecs } {
  // A model that runs the server tools itself gets the tools and history as sent (but for gateway-minted results).
  if (native) return { request: nativeWebHistory(request) };
  return { request: rewriteWebHistory(request), specs: webToolSpecs(request.tools) };
}
