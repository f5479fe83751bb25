/** PLACEHOLDER: replaced by the openai-responses upstream implementation. */
import { GatewayError } from "../../errors/gateway_error.ts";
import type { UpstreamFormat } from "../wire_format.ts";

export const openaiResponsesUpstream: UpstreamFormat = {
  family: "openai-responses",
  buildRequest() {
    throw new GatewayError("api_error", "The openai-responses upstream is not implemented yet");
  },
  createStreamToHub() {
    throw new GatewayError("api_error", "The openai-responses upstream is not implemented yet");
  },
};
