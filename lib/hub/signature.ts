/**
 * Thinking-block signatures minted by the gateway: `ocb1.<provider>.<base64url payload>`. The envelope says
 * who made it, so a signature is only ever sent back to the provider family that produced it, and one from
 * another family is dropped instead of being forwarded (real Anthropic upstreams reject foreign signatures).
 */
import type { z } from "zod";

const PREFIX = "ocb1.";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface SignaturePayload {
  /** Upstream family (or a finer provider tag) that produced the reasoning. */
  provider: string;
  /** Opaque data to restore on the next turn (encrypted reasoning, a Gemini thoughtSignature…), may be "". */
  payload: string;
}

function toBase64Url(text: string): string {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return decoder.decode(bytes);
}

/** @example encodeSignature({ provider: "openai-chat", payload: "" }) === "ocb1.openai-chat." */
export function encodeSignature({ provider, payload }: SignaturePayload): string {
  return `${PREFIX}${provider}.${toBase64Url(payload)}`;
}

/** The envelope's content, or undefined for a signature the gateway did not mint (e.g. a real Anthropic one). */
export function decodeSignature(signature: string | undefined): SignaturePayload | undefined {
  if (!signature?.startsWith(PREFIX)) return undefined;
  const rest = signature.slice(PREFIX.length);
  const dot = rest.indexOf(".");
  if (dot <= 0) return undefined;
  try {
    return { provider: rest.slice(0, dot), payload: fromBase64Url(rest.slice(dot + 1)) };
  } catch {
    return undefined;
  }
}

/** True for any signature in the gateway's envelope, whatever its provider. */
export function isGatewaySignature(signature: string | undefined): boolean {
  return signature?.startsWith(PREFIX) ?? false;
}

/**
 * The JSON payload of one of `provider`'s signatures, checked against `schema`, when it was minted for `model`;
 * undefined for a foreign, empty, malformed or other model's signature (such reasoning is dropped, never sent).
 */
export function decodeSignatureJson<T extends { model: string }>(
  signature: string | undefined,
  { provider, model, schema }: { provider: string; model: string; schema: z.ZodType<T> },
): T | undefined {
  const envelope = decodeSignature(signature);
  if (envelope?.provider !== provider || envelope.payload === "") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(envelope.payload);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success && parsed.data.model === model ? parsed.data : undefined;
}
