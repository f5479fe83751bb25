/** A Responses error (an `error` event or a failed response) → the GatewayError a client acts on. */
import { statusForResponsesCode } from "../../errors/error_status.ts";
import type { GatewayError } from "../../errors/gateway_error.ts";
import { parseUpstreamError } from "../../errors/upstream_error.ts";
import type { ResponsesError } from "./response_schema.ts";

/** Goes through the shared upstream-error parser, so a mid-stream context overflow still reads "prompt is too long". */
export function openaiResponsesErrorToHub(error: ResponsesError | null | undefined): GatewayError {
  const code = error?.code === null || error?.code === undefined ? "" : String(error.code);
  const message = error?.message || (code ? `Upstream error: ${code}` : "Upstream reported an error");
  const status = statusForResponsesCode(code || error?.type || "");
  return parseUpstreamError(status, JSON.stringify({ error: { message } }), new Headers());
}
