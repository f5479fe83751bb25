/** PLACEHOLDER: replaced by the gemini upstream implementation. */
import { GatewayError } from "../../errors/gateway_error.ts";
import type { UpstreamFormat } from "../wire_format.ts";

export const geminiUpstream: UpstreamFormat = {
  family: "gemini",
  buildRequest() {
    throw new GatewayError("api_error", "The gemini upstream is not implemented yet");
  },
  createStreamToHub() {
    throw new GatewayError("api_error", "The gemini upstream is not implemented yet");
  },
};
