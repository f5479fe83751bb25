/**
 * Removes exact secret values from the strings inside a log line's fields, whatever their length. Text-level
 * scrubbing (`scrubSecrets`) skips values under 4 characters because replacing them in the finished JSON
 * would cut field names and punctuation apart; inside string values a short configured key is removed safely.
 */
import { REDACTED } from "./redact.ts";

/** A copy of `value` with every occurrence of each secret in its strings replaced; other values as they are. */
export function scrubValueStrings(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === "string") {
    let out = value;
    for (const secret of secrets) if (secret.length > 0) out = out.replaceAll(secret, REDACTED);
    return out;
  }
  if (value === null || typeof value !== "object") return value;
  // Log fields are redacted copies already bounded to 32 levels; deeper is cut rather than walked.
  if (depth > 40) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((item) => scrubValueStrings(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubValueStrings(item, secrets, depth + 1);
  return out;
}
