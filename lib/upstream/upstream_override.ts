/**
 * The `x-upstream-url` request header (the seed's per-request base URL). Ignored unless
 * UPSTREAM_URL_OVERRIDE_HOSTS is set; then only allowlisted hosts pass, and never loopback, private or
 * link-local addresses unless UPSTREAM_URL_ALLOW_PRIVATE. Only literal addresses and `localhost` are checked:
 * an allowlisted DNS name that resolves to a private address is trusted, because the operator listed it.
 */
import type { ResolvedModel } from "../catalog/types.ts";
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";

export const UPSTREAM_URL_HEADER = "x-upstream-url";

type OverrideConfig = Pick<Config, "UPSTREAM_URL_OVERRIDE_HOSTS" | "UPSTREAM_URL_ALLOW_PRIVATE">;

/** The model with its base URL replaced when the client asked for it and may; throws 400/403 otherwise. */
export function applyUpstreamOverride(
  model: ResolvedModel,
  headers: Headers,
  config: OverrideConfig,
): ResolvedModel {
  const requested = headers.get(UPSTREAM_URL_HEADER)?.trim();
  const allowlist = config.UPSTREAM_URL_OVERRIDE_HOSTS ?? [];
  if (!requested || allowlist.length === 0) return model;
  // A configured provider's key must only reach its own baseUrl: the override is for the OpenCode services.
  if (model.service !== "go" && model.service !== "zen") return model;
  return { ...model, baseUrl: checkOverrideUrl(requested, config) };
}

/** The cleaned base URL (no trailing slash, no query or fragment) if allowed. */
export function checkOverrideUrl(value: string, config: OverrideConfig): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GatewayError("invalid_request_error", `${UPSTREAM_URL_HEADER} is not a valid URL`, {
      param: UPSTREAM_URL_HEADER,
    });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new GatewayError("invalid_request_error", `${UPSTREAM_URL_HEADER} must be an http or https URL`, {
      param: UPSTREAM_URL_HEADER,
    });
  }
  if (url.username || url.password) {
    throw new GatewayError("invalid_request_error", `${UPSTREAM_URL_HEADER} must not carry credentials`, {
      param: UPSTREAM_URL_HEADER,
    });
  }
  const host = url.hostname.toLowerCase();
  if (!hostAllowed(host, url.host.toLowerCase(), config.UPSTREAM_URL_OVERRIDE_HOSTS ?? [])) {
    throw new GatewayError("permission_error", `${UPSTREAM_URL_HEADER} host is not allowed: ${host}`);
  }
  if (!config.UPSTREAM_URL_ALLOW_PRIVATE && isPrivateHost(host)) {
    throw new GatewayError(
      "permission_error",
      `${UPSTREAM_URL_HEADER} points to a private or loopback address: ${host}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** Entries are `host`, `host:port` or `*.domain` (any subdomain, not the domain itself). */
function hostAllowed(hostname: string, hostWithPort: string, allowlist: readonly string[]): boolean {
  return allowlist.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry.startsWith("*.")) return hostname.endsWith(entry.slice(1));
    return entry === hostname || entry === hostWithPort;
  });
}

/** Loopback, private, link-local, CGNAT, unspecified and unique-local addresses, plus `localhost`. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const v4 = parseIpv4(host);
  if (v4) return isPrivateIpv4(v4);
  if (!host.includes(":")) return false;
  return isPrivateIpv6(host);
}

function parseIpv4(host: string): number[] | undefined {
  // WHATWG URL parsing already normalised 0x7f.1, 2130706433 and friends to dotted decimal.
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts : undefined;
}

function isPrivateIpv4([a, b]: number[]): boolean {
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
}

function isPrivateIpv6(host: string): boolean {
  if (host === "::" || host === "::1") return true;
  const mapped = /^::ffff:(.+)$/.exec(host)?.[1];
  if (mapped) {
    const v4 = parseIpv4(mapped) ?? hexPairToIpv4(mapped);
    return v4 ? isPrivateIpv4(v4) : true;
  }
  const first = parseInt(host.split(":")[0] || "0", 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/** `::ffff:7f00:1` (how URL serialises a mapped IPv4) → [127, 0, 0, 1]. */
function hexPairToIpv4(text: string): number[] | undefined {
  const match = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(text);
  if (!match) return undefined;
  const high = parseInt(match[1], 16);
  const low = parseInt(match[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255];
}
