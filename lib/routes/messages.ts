/** `POST /v1/messages`: Anthropic clients (Claude Code, Claude Desktop, the SDK) to any upstream family. */
import { anthropicClient, parseAnthropicRequest } from "../formats/anthropic/mod.ts";
import { modelRoute } from "./relay_route.ts";

export const handleMessages = modelRoute({
  parse: parseAnthropicRequest,
  session: (headers, hub) => ({ headers, request: hub }),
  // The hub is Anthropic's own shape: the parsed request is the hub request.
  toHub: (hub) => ({ hub, client: anthropicClient }),
  passthrough: false,
});
