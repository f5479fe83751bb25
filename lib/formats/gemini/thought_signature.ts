/**
 * Gemini `thoughtSignature`s travel to the client inside a thinking block's signature (`ocb1.gemini.…`) and are
 * restored on the next turn: Gemini 3 answers 400 when a function call in history comes back without the
 * signature it was given. The payload names the model (another model cannot verify the signature) and the
 * kind of part it belongs on.
 */
import { z } from "zod";
import { decodeSignatureJson, encodeSignature } from "../../hub/signature.ts";

export const GEMINI_SIGNATURE_PROVIDER = "gemini";

/**
 * Google's documented stand-in for a function call Gemini did not make (history from another model, or from
 * another Gemini model whose signature this one cannot verify): Gemini 3 skips validation for the part.
 */
export const SKIP_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

const payloadSchema = z.object({
  model: z.string(),
  thoughtSignature: z.string().min(1),
  target: z.enum(["functionCall", "text"]),
});
export type ThoughtSignaturePayload = z.infer<typeof payloadSchema>;

export function encodeThoughtSignature(payload: ThoughtSignaturePayload): string {
  return encodeSignature({ provider: GEMINI_SIGNATURE_PROVIDER, payload: JSON.stringify(payload) });
}

/** The signature to restore, or undefined for a foreign one, a malformed one, or one from another model. */
export function decodeThoughtSignature(
  signature: string | undefined,
  model: string,
): ThoughtSignaturePayload | undefined {
  return decodeSignatureJson(signature, {
    provider: GEMINI_SIGNATURE_PROVIDER,
    model,
    schema: payloadSchema,
  });
}
