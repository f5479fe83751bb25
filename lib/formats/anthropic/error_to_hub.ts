/**
 * An Anthropic-format upstream's mid-stream `event: error` as a hub error. Anthropic's own kinds pass through;
 * OpenCode's error classes (`GoUsageLimitError`…) get the same mapping as an HTTP error body.
 */
import { isErrorKind } from "../../errors/error_status.ts";
import { GatewayError } from "../../errors/gateway_error.ts";
import { parseUpstreamError } from "../../errors/upstream_error.ts";

/** `data` is the event's JSON text; anything unreadable is an `api_error` that quotes it. */
export function anthropicErrorToHub(data: string): GatewayError {
  let type: unknown;
  let message: unknown;
  try {
    const json = JSON.parse(data) as { error?: { type?: unknown; message?: unknown } };
    type = json.error?.type;
    message = json.error?.message;
  } catch { /* handled below */ }
  if (isErrorKind(type) && typeof message === "string") return new GatewayError(type, message);
  // No HTTP status mid-stream: 500 makes an unknown class an api_error, as a failed upstream would be.
  const error = parseUpstreamError(500, data, new Headers());
  return error.message ? error : new GatewayError(error.kind, "Upstream stream failed");
}
