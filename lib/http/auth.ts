/** Decides which key goes upstream, and (with GATEWAY_KEYS) who may use the gateway at all. */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";

const encoder = new TextEncoder();

/** The credential a client presented: `x-api-key`, `x-goog-api-key`, or `Authorization: Bearer`. */
export function clientKey(headers: Headers): string | undefined {
  const apiKey = headers.get("x-api-key")?.trim();
  if (apiKey) return apiKey;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer) return bearer;
  return headers.get("x-goog-api-key")?.trim() || undefined;
}

/** Compares in time that depends only on the lengths, not on where the strings differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let difference = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  return difference === 0;
}

/** Throws 401 before any upstream call when the client may not pass or no key is available. */
export function resolveUpstreamKey(headers: Headers, config: Config): string {
  const presented = clientKey(headers);
  if (config.GATEWAY_KEYS && config.GATEWAY_KEYS.length > 0) {
    let allowed = false;
    for (const key of config.GATEWAY_KEYS) allowed = constantTimeEqual(presented ?? "", key) || allowed;
    if (!allowed) {
      throw new GatewayError(
        "authentication_error",
        presented ? "Invalid gateway key" : "Missing gateway key: send x-api-key or Authorization: Bearer",
      );
    }
    if (!config.OPENCODE_API_KEY) {
      throw new GatewayError(
        "api_error",
        "Gateway misconfigured: GATEWAY_KEYS is set but OPENCODE_API_KEY is not",
        { status: 500 },
      );
    }
    return config.OPENCODE_API_KEY;
  }
  const key = config.OPENCODE_API_KEY ?? presented;
  if (!key) {
    throw new GatewayError(
      "authentication_error",
      "Missing API key: send your OpenCode key as x-api-key or Authorization: Bearer (or set OPENCODE_API_KEY on the gateway)",
    );
  }
  return key;
}
