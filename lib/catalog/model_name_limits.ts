/**
 * Bounds on a client's model name, checked before any lookup: a 30 MB name once cost 12 s of edit distance, a
 * 30 MB error body and a 31 MB log line. Also the one helper that shortens client text quoted in messages.
 */
import { GatewayError } from "../errors/gateway_error.ts";
/** Client text quoted in an error or log message is cut to this many characters. */
export const QUOTE_MAX_CHARS = 64;

// Control, format (bidi overrides, zero-width) and line/paragraph separators: never part of a model id, and
// they make a quoted name lie in a terminal or a log.
const forbidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Throws a 400 for a name that is too long or holds invisible characters; the message quotes a prefix. */
export function checkModelName(name: string, maxLength: number, param = "model"): void {
  if (name.length > maxLength) {
    throw new GatewayError(
      "invalid_request_error",
      `${param}: the model name is ${name.length} characters, longer than the gateway's limit of ${maxLength} ` +
        `(MODEL_NAME_MAX_LENGTH); it starts ${quoteClientText(name)}`,
      { param },
    );
  }
  if (forbidden.test(name)) {
    throw new GatewayError(
      "invalid_request_error",
      `${param}: the model name ${quoteClientText(name)} holds control or invisible characters`,
      { param },
    );
  }
}

/**
 * Client text safe to put in a message: at most QUOTE_MAX_CHARS characters, as a JSON string literal (so
 * control characters show escaped), with the full length when it was cut.
 *
 * @example quoteClientText("x".repeat(1000)) // `"xxxx…xxx"… (1000 characters)`
 */
export function quoteClientText(text: string, max = QUOTE_MAX_CHARS): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max))}… (${text.length} characters)`;
}

/** A name as messages show it: whole when short, else its first QUOTE_MAX_CHARS characters and `…`. */
export function shownName(name: string): string {
  return name.length <= QUOTE_MAX_CHARS ? name : `${name.slice(0, QUOTE_MAX_CHARS)}…`;
}
