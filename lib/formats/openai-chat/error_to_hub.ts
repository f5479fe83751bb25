/** A Chat Completions mid-stream error (`data: {"error":{…}}`) → the GatewayError a client acts on. */
import { statusForOpenaiError } from "../../errors/error_status.ts";
import type { GatewayError } from "../../errors/gateway_error.ts";
import { parseUpstreamError } from "../../errors/upstream_error.ts";
import type { OpenaiChatChunk } from "./response_schema.ts";

export type OpenaiChatError = NonNullable<OpenaiChatChunk["error"]>;

const noHeaders = new Headers();

/** Same parser as HTTP errors, so a mid-stream context overflow still reads "prompt is too long". */
export function openaiChatErrorToHub(error: OpenaiChatError): GatewayError {
  const status = typeof error === "string" ? 500 : statusForOpenaiError(error.code, error.type);
  return parseUpstreamError(status, JSON.stringify({ error }), noHeaders);
}
