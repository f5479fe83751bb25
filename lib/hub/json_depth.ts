/**
 * A bound on JSON nesting, checked on the text before it is parsed: a 100,000-level tool schema or a
 * 1,000,000-level array costs seconds in every recursive walk after `JSON.parse` (zod, conversion, the
 * tokenizer, `JSON.stringify`), so it is refused while it is still bytes. One linear pass, no allocation.
 */
import { DEFAULT_JSON_MAX_DEPTH } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * True when `[`/`{` nest deeper than `limit` anywhere in `bytes` (UTF-8 JSON text; brackets inside strings do
 * not count). Invalid JSON is scanned the same way; `JSON.parse` reports it afterwards.
 */
export function jsonNestsDeeperThan(bytes: Uint8Array, limit: number): boolean {
  let depth = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      index = stringEnd(bytes, index + 1);
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** Index of the quote closing the string whose text starts at `from` (the end of input if none). */
function stringEnd(bytes: Uint8Array, from: number): number {
  // Most strings are keys and ids that end within a few bytes: a plain loop beats a call to indexOf there
  // (measured with `deno bench` on the load benchmark's bodies: a tiny one in half the time, 90 KB in 0.83×).
  const stop = Math.min(bytes.length, from + 24);
  let index = from;
  for (; index < stop; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) return index;
    if (byte === BACKSLASH) index++;
  }
  while (true) {
    const quote = bytes.indexOf(QUOTE, index);
    if (quote === -1) return bytes.length;
    // Escaped when preceded by an odd run of backslashes.
    let backslashes = 0;
    while (quote - 1 - backslashes >= from && bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    index = quote + 1;
  }
}

const encoder = new TextEncoder();

/** Thrown by `parseJsonWithinDepth`; a SyntaxError, so callers that treat bad JSON as malformed still do. */
export class JsonTooDeepError extends SyntaxError {
  override name = "JsonTooDeepError";
  constructor(readonly limit: number) {
    super(`JSON nests deeper than ${limit} levels`);
  }
}

/**
 * `JSON.parse` for client JSON held in a string (tool-call arguments, signature envelopes, Claude Code's
 * `metadata.user_id`): the same bound as a body, checked before parsing.
 */
export function parseJsonWithinDepth(text: string, limit: number = DEFAULT_JSON_MAX_DEPTH): unknown {
  if (jsonNestsDeeperThan(encoder.encode(text), limit)) throw new JsonTooDeepError(limit);
  return JSON.parse(text);
}

/** The 400 for client JSON past the bound; `what` names it ("Request body", "Tool-call arguments"). */
export function tooDeep(limit: number, what: string): GatewayError {
  return new GatewayError(
    "invalid_request_error",
    `${what} nests deeper than ${limit} levels of arrays and objects (JSON_MAX_DEPTH)`,
  );
}
