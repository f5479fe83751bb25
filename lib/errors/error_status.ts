/** The only mapping between error kinds and HTTP statuses. */
import type { ErrorKind } from "./gateway_error.ts";

const statusByKind: Record<ErrorKind, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  // An upstream's fault unless said otherwise: a gateway bug is created with an explicit 500 (toGatewayError).
  api_error: 502,
  timeout_error: 504,
  overloaded_error: 529,
};

export function statusForKind(kind: ErrorKind): number {
  return statusByKind[kind];
}

/** Kind for an upstream HTTP status when the body says nothing more specific. */
export function kindForStatus(status: number): ErrorKind {
  if (status === 401) return "authentication_error";
  if (status === 402) return "billing_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 408 || status === 504) return "timeout_error";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limit_error";
  if (status === 503 || status === 529) return "overloaded_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}
