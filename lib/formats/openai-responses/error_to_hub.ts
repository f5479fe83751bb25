/** A Responses error (an `error` event or a failed response) → the GatewayError a client acts on. */
import type { GatewayError } from "../../errors/gateway_error.ts";
import { parseUpstreamError } from "../../errors/upstream_error.ts";
import type { ResponsesError } from "./response_schema.ts";

/** The HTTP status the same failure would have had before the stream started. */
function statusForCode(code: string): number {
  if (/rate_limit|quota/i.test(code)) return 429;
  if (/context_length|invalid|unsupported|bad_request|too_large/i.test(code)) return 400;
  if (/overloaded|unavailable/i.test(code)) return 503;
  return 500;
}

/** Goes through the shared upstream-error parser, so a mid-stream context overflow still reads "prompt is too long". */
export function openaiResponsesErrorToHub(error: ResponsesError | null | undefined): GatewayError {
  const code = error?.code === null || error?.code === undefined ? "" : String(error.code);
  const message = error?.message || (code ? `Upstream error: ${code}` : "Upstream reported an error");
  const status = statusForCode(code || error?.type || "");
  return parseUpstreamError(status, JSON.stringify({ error: { message } }), new Headers());
}
