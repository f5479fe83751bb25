/**
 * How one upstream format's answer reaches this client, decided once per candidate model: `passthrough` (the
 * client's JSON up, the upstream's bytes back), `bytes` (a request built from the hub, the upstream's stream
 * passed through: Anthropic on both sides), or `hub` (translated both ways).
 */
import type { ClientFormat, RelayRequest, UpstreamFormat } from "../hub/wire_format.ts";

export type RelayMode = "passthrough" | "bytes" | "hub";

export function relayMode(format: UpstreamFormat, client: ClientFormat, request: RelayRequest): RelayMode {
  if (client !== format.family) return "hub";
  if (format.buildPassthroughRequest) return request.clientBody ? "passthrough" : "hub";
  return format.createPassthroughFilter && request.stream ? "bytes" : "hub";
}
