/**
 * Thinking signatures (and `redacted_thinking` data) from an Anthropic-format upstream travel to the client
 * inside the gateway's envelope, `ocb1.anthropic.…` with `{ m: <origin>, s: <the upstream's own value> }`, and
 * are restored only for a request to that same origin. A strict upstream answers 400 ``Invalid `signature` in
 * `thinking` block`` to a signature another server minted, which happens as soon as a Claude Code session
 * moves between Anthropic-format models (Zen's `claude-*` → MiniMax, MiniMax → Qwen): without the envelope the
 * gateway cannot tell whose a raw signature is.
 *
 * The origin is the service and the exact upstream model id (`go/minimax-m2.7`): a signature is the serving
 * provider's encryption of the model's reasoning, and the model id on one service is the finest thing the
 * gateway knows that names one provider. Two models of one vendor, or one model on Go and on Zen (other keys,
 * possibly other deployments), do not count as the same server. The base URL is left out: it is deployment
 * configuration, and the client can read the envelope.
 */
import { parseJsonWithinDepth } from "../../hub/json_depth.ts";
import type { ResolvedModel } from "../../catalog/types.ts";
import { decodeSignature, encodeSignature } from "../../hub/signature.ts";

export const ANTHROPIC_SIGNATURE_PROVIDER = "anthropic";

/** @example anthropicSignatureOrigin({ service: "go", upstreamModel: "minimax-m2.7" }) === "go/minimax-m2.7" */
export function anthropicSignatureOrigin(model: Pick<ResolvedModel, "service" | "upstreamModel">): string {
  return `${model.service}/${model.upstreamModel}`;
}

/** The envelope the client gets for `signature` (or redacted data) that `origin` minted; "" stays "". */
export function wrapAnthropicSignature(signature: string, origin: string): string {
  if (signature === "") return "";
  return encodeSignature({
    provider: ANTHROPIC_SIGNATURE_PROVIDER,
    payload: JSON.stringify({ m: origin, s: signature }),
  });
}

/**
 * The upstream's own signature back from its envelope, or undefined when the value must not reach `origin`:
 * another origin's envelope, another family's, a raw (un-enveloped) value, a malformed or a missing one.
 */
export function unwrapAnthropicSignature(signature: string | undefined, origin: string): string | undefined {
  const envelope = decodeSignature(signature);
  if (envelope?.provider !== ANTHROPIC_SIGNATURE_PROVIDER) return undefined;
  try {
    const { m, s } = parseJsonWithinDepth(envelope.payload) as { m?: unknown; s?: unknown };
    return m === origin && typeof s === "string" && s !== "" ? s : undefined;
  } catch {
    return undefined;
  }
}
