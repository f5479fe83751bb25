/** A Gemini error object inside the stream → the GatewayError a client acts on. */
import type { GatewayError } from "../../errors/gateway_error.ts";
import { parseUpstreamError } from "../../errors/upstream_error.ts";
import type { GeminiError } from "./response_schema.ts";

/** Same parser as HTTP errors, so `RESOURCE_EXHAUSTED` is still a rate limit and an overflow still "prompt is too long". */
export function geminiErrorToHub(error: GeminiError): GatewayError {
  const status = error.code && error.code >= 400 ? error.code : 500;
  return parseUpstreamError(status, JSON.stringify({ error }), new Headers());
}
