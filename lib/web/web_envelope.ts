/**
 * `encrypted_content` of the search results the gateway mints: the thinking-signature envelope
 * (`ocb1.web.<base64url JSON>`), so a later turn can rebuild what the model read, and a value from anyone else
 * (a real Anthropic result) is recognised as foreign and never decoded as ours.
 */
import { decodeSignature, encodeSignature } from "../hub/signature.ts";

const PROVIDER = "web";
/** What a replayed hit costs on every later turn: keep it short. */
const MAX_SNIPPET = 1_500;

export interface HitEnvelope {
  url: string;
  title: string;
  snippet: string;
}

export function encodeHit(hit: HitEnvelope): string {
  const payload = JSON.stringify({ u: hit.url, t: hit.title, s: hit.snippet.slice(0, MAX_SNIPPET) });
  return encodeSignature({ provider: PROVIDER, payload });
}

/** The hit inside a gateway-minted `encrypted_content`, or undefined for anything else. */
export function decodeHit(encrypted: unknown): HitEnvelope | undefined {
  const value = openEnvelope(encrypted, PROVIDER);
  if (typeof value?.u !== "string" || typeof value?.s !== "string") return undefined;
  return { url: value.u, title: String(value.t ?? value.u), snippet: value.s };
}

/** The JSON payload of the gateway's own envelope for `provider`; undefined for anyone else's value. */
function openEnvelope(encrypted: unknown, provider: string): Record<string, unknown> | undefined {
  if (typeof encrypted !== "string") return undefined;
  const decoded = decodeSignature(encrypted);
  if (decoded?.provider !== provider) return undefined;
  try {
    const value = JSON.parse(decoded.payload);
    return value && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}

const CITATION_PROVIDER = "web-cite";

export interface CitationEnvelope {
  url: string;
  title: string;
  citedText: string;
}

/** `encrypted_index` of a citation the gateway mints: which source was cited, readable on a later turn. */
export function encodeCitation(citation: CitationEnvelope): string {
  const payload = JSON.stringify({ u: citation.url, t: citation.title, c: citation.citedText });
  return encodeSignature({ provider: CITATION_PROVIDER, payload });
}

/** The source inside a gateway-minted `encrypted_index`, or undefined for anything else. */
export function decodeCitation(encrypted: unknown): CitationEnvelope | undefined {
  const value = openEnvelope(encrypted, CITATION_PROVIDER);
  if (typeof value?.u !== "string") return undefined;
  return { url: value.u, title: String(value.t ?? value.u), citedText: String(value.c ?? "") };
}
