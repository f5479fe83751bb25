/**
 * The one place that decides which wire format a request's client speaks, from the endpoint (and, on the
 * model list both kinds of client read, the `anthropic-version` header Claude Code and the Anthropic SDK
 * send). Errors are rendered in it, including 404s and 405s that reach no route.
 */
import type { ClientFormat } from "../hub/wire_format.ts";

/** `endpoint` is the path from `/v1/` on, after any `/go`, `/zen` or `/go/<model>` prefix (parse_path.ts). */
export function clientFormatOf(request: Request, endpoint: string): ClientFormat {
  if (endpoint.startsWith("/v1/chat")) return "openai-chat";
  if (endpoint.startsWith("/v1/responses")) return "openai-responses";
  if (endpoint.startsWith("/v1/models")) {
    return request.headers.has("anthropic-version") ? "anthropic" : "openai-chat";
  }
  return "anthropic";
}
