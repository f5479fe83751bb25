/**
 * The `x-upstream-url` request header (the seed's per-request base URL). Ignored unless
 * UPSTREAM_URL_OVERRIDE_HOSTS is set; then only allowlisted hosts pass, and never loopback, private or
 * link-local addresses unless UPSTREAM_URL_ALLOW_PRIVATE. This file checks the URL itself (syntax, allowlist,
 * literal addresses, `localhost`); resolve_override.ts then resolves a name and checks every address.
 */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import { isLocalName, privateAddressReason, stripDots } from "./private_address.ts";

export const UPSTREAM_URL_HEADER = "x-upstream-url";

type OverrideConfig = Pick<Config, "UPSTREAM_URL_OVERRIDE_HOSTS" | "UPSTREAM_URL_ALLOW_PRIVATE">;

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
  // `localhost.` is `localhost`: the root dot must not slip a name past the allowlist or the private check.
  const host = stripDots(url.hostname.toLowerCase());
  const hostWithPort = url.port ? `${host}:${url.port}` : host;
  if (!hostAllowed(host, hostWithPort, config.UPSTREAM_URL_OVERRIDE_HOSTS ?? [])) {
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
    const entry = stripDots(raw.trim().toLowerCase());
    if (entry.startsWith("*.")) return hostname.endsWith(entry.slice(1));
    return entry === hostname || entry === hostWithPort;
  });
}

/** Loopback, private, link-local, CGNAT, unspecified and unique-local addresses (every form), plus `localhost`. */
export function isPrivateHost(hostname: string): boolean {
  return isLocalName(hostname) || privateAddressReason(stripDots(hostname)) !== undefined;
}
