/**
 * Makes a value safe to log: known secrets and key-like strings removed, base64 image data replaced by its
 * size, long strings and whole bodies truncated. Used for LOG_BODIES and for every finished log line.
 */

export interface RedactOptions {
  /** Exact credential values seen on this request or configured on the gateway. */
  secrets: readonly string[];
  /** Longest string kept whole (default 1,000 characters). */
  maxString?: number;
}

export const REDACTED = "[redacted]";

// Field names whose values are credentials. `max_tokens`, `input_tokens`… are not: the name must end in one.
const secretField =
  /^(x-)?(api[-_]?key|authorization|proxy-authorization|access[-_]?token|refresh[-_]?token|id[-_]?token|secret|client[-_]?secret|password|token|bearer|x-goog-api-key|cookie|set-cookie)$/i;
// Provider key shapes: OpenAI/OpenCode `sk-…`, Anthropic `sk-ant-…`, Google `AIza…`, bearer values.
const keyLike = /\b(sk-[A-Za-z0-9_-]{12,}|AIza[0-9A-Za-z_-]{20,}|Bearer\s+[A-Za-z0-9._~+/=-]{12,})/g;
const dataUrl = /data:([a-z]+\/[a-z0-9.+-]+);base64,[A-Za-z0-9+/=]{16,}/gi;
const longBase64 = /^[A-Za-z0-9+/=\r\n]{512,}$/;

/** Removes secrets from finished text: exact values first, then anything shaped like a provider key. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.replaceAll(secret, REDACTED);
  }
  return out.replace(keyLike, REDACTED);
}

/** A JSON-safe copy of `value` with credentials, images and long strings made loggable. */
export function redactValue(value: unknown, options: RedactOptions): unknown {
  return redact(value, options, 0);
}

function redact(value: unknown, options: RedactOptions, depth: number): unknown {
  if (typeof value === "string") return redactString(value, options);
  if (value === null || typeof value !== "object") return value;
  if (depth > 32) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((item) => redact(item, options, depth + 1));
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    if (secretField.test(key) && item !== null && item !== undefined && typeof item !== "boolean") {
      out[key] = REDACTED;
    } else if (key === "data" && record.type === "base64" && typeof item === "string") {
      out[key] = `[base64 ${item.length} chars]`;
    } else {
      out[key] = redact(item, options, depth + 1);
    }
  }
  return out;
}

function redactString(text: string, options: RedactOptions): string {
  const maxString = options.maxString ?? 1_000;
  if (longBase64.test(text)) return `[base64 ${text.length} chars]`;
  const cleaned = scrubSecrets(text, options.secrets).replace(
    dataUrl,
    (match, type: string) => `data:${type};base64,[${match.length} chars]`,
  );
  return cleaned.length > maxString
    ? `${cleaned.slice(0, maxString)}…[${cleaned.length - maxString} more chars]`
    : cleaned;
}
