/**
 * An Anthropic-format upstream's mid-stream `event: error` as a hub error. Anthropic's own kinds pass through;
 * OpenCode's error classes (`GoUsageLimitError`…) get the same mapping as an HTTP error body.
 */
import type { ErrorKind } from "../../errors/gateway_error.ts";
import { parseUpstreamError } from "../../errors/upstream_error.ts";

const hubKinds: Record<ErrorKind, true> = {
  invalid_request_error: true,
  authentication_error: true,
  billing_error: true,
  permission_error: true,
  not_found_error: true,
  request_too_large: true,
  rate_limit_error: true,
  api_error: true,
  timeout_error: true,
  overloaded_error: true,
};

export interface HubError {
  kind: ErrorKind;
  message: string;
}

/** `data` is the event's JSON text; anything unreadable is an `api_error` that quotes it. */
export function anthropicErrorToHub(data: string): HubError {
  let type: unknown;
  let message: unknown;
  try {
    const json = JSON.parse(data) as { error?: { type?: unknown; message?: unknown } };
    type = json.error?.type;
    message = json.error?.message;
  } catch { /* handled below */ }
  if (typeof type === "string" && type in hubKinds && typeof message === "string") {
    return { kind: type as ErrorKind, message };
  }
  // No HTTP status mid-stream: 500 makes an unknown class an api_error, as a failed upstream would be.
  const error = parseUpstreamError(500, data, new Headers());
  return { kind: error.kind, message: error.message || "Upstream stream failed" };
}
