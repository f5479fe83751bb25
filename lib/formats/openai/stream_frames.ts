/** The SSE frames every OpenAI-format stream the gateway writes shares: the keep-alive and the error frame. */
import { asErrorKind } from "../../errors/error_status.ts";
import { GatewayError } from "../../errors/gateway_error.ts";
import { openaiErrorBody } from "../../errors/render_error.ts";

/** SSE comment: every OpenAI SDK parser skips it, and it keeps proxies from closing an idle stream. */
export const OPENAI_PING = ": ping\n\n";

/** The frame for a failure after headers: openai-node raises any payload with an `error` key as APIError. */
export function openaiStreamErrorFrame(kind: string, message: string): string {
  return `data: ${JSON.stringify(openaiErrorBody(new GatewayError(asErrorKind(kind), message)))}\n\n`;
}
