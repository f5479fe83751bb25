/** The requests and ids of the emulation loop's rounds (web_tool_loop.ts). */
import type { HubContentBlock, HubRequest } from "../hub/schema.ts";
import { normalizeUrl } from "./fetch_page.ts";
import { functionToolsFor } from "./function_tools.ts";
import type { HeldCall } from "./round_composer.ts";
import { isWebServerTool, type WebToolSpecs } from "./web_tool_specs.ts";
import { conversationUrls } from "./web_history.ts";

export function serverToolId(): string {
  return `srvtoolu_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

/** The request as the upstream sees it in the first round: server tools swapped for function tools. */
export function upstreamRequest(request: HubRequest, specs: WebToolSpecs): HubRequest {
  const tools = [
    ...(request.tools ?? []).filter((tool) => !isWebServerTool(tool)),
    ...functionToolsFor(specs),
  ];
  return { ...request, tools };
}

/**
 * After a round of searches a forced web tool would loop forever: later rounds let the model choose, and the
 * last round the loop allows asks for an answer without tools.
 */
export function laterRound(
  request: HubRequest,
  assistant: HubContentBlock[],
  results: HubContentBlock[],
  last: boolean,
): HubRequest {
  const choice = request.tool_choice;
  const forcedWeb = choice?.type === "any" ||
    (choice?.type === "tool" && (choice.name === "web_search" || choice.name === "web_fetch"));
  return {
    ...request,
    tool_choice: last ? { type: "none" } : forcedWeb ? { type: "auto" } : choice,
    messages: [...request.messages, { role: "assistant", content: assistant }, {
      role: "user",
      content: results,
    }],
  };
}

export function parseArguments(call: HeldCall): unknown {
  try {
    return call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch {
    return { _raw_arguments: call.arguments };
  }
}

export function cleanUrl(url: string): string | undefined {
  return normalizeUrl(url.replace(/[.,;:!?]+$/, ""));
}

/** The cleaned URLs a conversation mentions: web_fetch may open these before any search. */
export function conversationUrlSet(request: HubRequest): Set<string> {
  return new Set(conversationUrls(request).map(cleanUrl).filter((url): url is string => !!url));
}
