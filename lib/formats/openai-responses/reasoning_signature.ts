/**
 * The encrypted reasoning item travels to the client inside a thinking block's signature (`ocb1.openai-responses.…`)
 * and is restored from it on the next turn. With `store: false` this is the only way the model sees its own
 * earlier reasoning; the item is bound to the model that minted it, because another model cannot decrypt it.
 */
import { z } from "zod";
import { decodeSignatureJson, encodeSignature } from "../../hub/signature.ts";

export const RESPONSES_SIGNATURE_PROVIDER = "openai-responses";

/** A reasoning input item as the Responses API takes it back. */
export interface ResponsesReasoningItem {
  type: "reasoning";
  id?: string;
  encrypted_content: string;
  summary: { type: "summary_text"; text: string }[];
}

const payloadSchema = z.object({
  model: z.string(),
  id: z.string().optional(),
  encrypted_content: z.string().min(1),
  summary: z.array(z.object({ type: z.literal("summary_text"), text: z.string() })),
});

/** Signature for a reasoning item; without encrypted content it only marks the block as ours. */
export function encodeReasoningSignature(
  item: { id?: string | null; encrypted_content?: string | null; summary?: { text: string }[] | null },
  model: string,
): string {
  if (!item.encrypted_content) {
    return encodeSignature({ provider: RESPONSES_SIGNATURE_PROVIDER, payload: "" });
  }
  const payload = {
    model,
    ...(item.id ? { id: item.id } : {}),
    encrypted_content: item.encrypted_content,
    summary: (item.summary ?? []).map((part) => ({ type: "summary_text" as const, text: part.text })),
  };
  return encodeSignature({ provider: RESPONSES_SIGNATURE_PROVIDER, payload: JSON.stringify(payload) });
}

/**
 * The reasoning item to replay, or undefined when the signature is foreign, empty, or from another model:
 * such thinking is dropped, never forwarded.
 */
export function decodeReasoningSignature(
  signature: string | undefined,
  model: string,
): ResponsesReasoningItem | undefined {
  const payload = decodeSignatureJson(signature, {
    provider: RESPONSES_SIGNATURE_PROVIDER,
    model,
    schema: payloadSchema,
  });
  if (!payload) return undefined;
  const { id, encrypted_content, summary } = payload;
  return { type: "reasoning", ...(id ? { id } : {}), encrypted_content, summary };
}
