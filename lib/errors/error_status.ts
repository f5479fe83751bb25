/**
 * Every error-kind and HTTP-status table in the gateway: the hub's kinds (Anthropic's `error.type`
 * vocabulary), their statuses, and the statuses upstream error types and codes imply when a mid-stream error
 * carries no HTTP status of its own.
 */

/** Anthropic's `error.type` vocabulary, which is the hub's. */
export const errorKinds = [
  "invalid_request_error",
  "authentication_error",
  "billing_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "api_error",
  "timeout_error",
  "overloaded_error",
] as const;
export type ErrorKind = typeof errorKinds[number];

const kindSet: ReadonlySet<string> = new Set(errorKinds);

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === "string" && kindSet.has(value);
}

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

// OpenAI-style error types as the status they usually come with, so the kind and wording rules apply.
const statusByOpenaiType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  insufficient_quota: 402,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  server_error: 500,
  api_error: 500,
  service_unavailable_error: 503,
  overloaded_error: 529,
};

/** A Chat Completions stream error's `code` and `type` as the HTTP status the same failure would have had. */
export function statusForOpenaiError(
  code: string | number | null | undefined,
  type: string | null | undefined,
): number {
  const numeric = typeof code === "number" ? code : Number(code);
  if (Number.isInteger(numeric) && numeric >= 400 && numeric < 600) return numeric;
  return (type ? statusByOpenaiType[type] : undefined) ??
    (typeof code === "string" ? statusByOpenaiType[code] : undefined) ?? 500;
}

/** A Responses error `code` (`rate_limit_exceeded`, `context_length_exceeded`…) as an HTTP status. */
export function statusForResponsesCode(code: string): number {
  if (/rate_limit|quota/i.test(code)) return 429;
  if (/context_length|invalid|unsupported|bad_request|too_large/i.test(code)) return 400;
  if (/overloaded|unavailable/i.test(code)) return 503;
  return 500;
}

/** A hub error event's `type` as a known kind (an upstream may relay a type of its own). */
export function asErrorKind(type: string): ErrorKind {
  return isErrorKind(type) ? type : "api_error";
}
