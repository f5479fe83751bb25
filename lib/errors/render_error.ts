/** Renders a GatewayError as a JSON Response in the client's own error envelope. */
import type { ClientFormat } from "../hub/wire_format.ts";
import type { ErrorKind, GatewayError } from "./gateway_error.ts";

export function anthropicErrorBody(
  error: GatewayError,
): { type: "error"; error: { type: ErrorKind; message: string } } {
  return { type: "error", error: { type: error.kind, message: error.message } };
}

const openaiTypeByKind: Record<ErrorKind, string> = {
  invalid_request_error: "invalid_request_error",
  authentication_error: "authentication_error",
  billing_error: "insufficient_quota",
  permission_error: "permission_error",
  not_found_error: "not_found_error",
  request_too_large: "invalid_request_error",
  rate_limit_error: "rate_limit_error",
  api_error: "server_error",
  timeout_error: "timeout_error",
  overloaded_error: "server_error",
};

/**
 * OpenAI's own code for a context overflow is `context_length_exceeded`; Codex and the SDKs act on it (Codex
 * compacts), so the gateway's "prompt is too long" error carries that code for OpenAI clients.
 */
function openaiCode(error: GatewayError): string {
  return error.kind === "invalid_request_error" && error.message.startsWith("prompt is too long")
    ? "context_length_exceeded"
    : error.kind;
}

export function openaiErrorBody(
  error: GatewayError,
): { error: { message: string; type: string; code: string; param: string | null } } {
  return {
    error: {
      message: error.message,
      type: openaiTypeByKind[error.kind],
      code: openaiCode(error),
      param: error.param ?? null,
    },
  };
}

/** JSON error response; `retry-after` is kept because Claude Code and the SDKs honour it. */
export function renderError(error: GatewayError, format: ClientFormat, headers: HeadersInit = {}): Response {
  const body = format === "anthropic" ? anthropicErrorBody(error) : openaiErrorBody(error);
  const out = new Headers(headers);
  out.set("content-type", "application/json");
  if (error.retryAfter) out.set("retry-after", error.retryAfter);
  if (format === "anthropic" && error.kind === "overloaded_error") out.set("x-should-retry", "true");
  return new Response(JSON.stringify(body), { status: error.status, headers: out });
}
