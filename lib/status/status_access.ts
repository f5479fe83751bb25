/**
 * Who may see the status page, /status.json and /metrics: anyone when the gateway listens on loopback only
 * (and is not on Deno Deploy, where HOSTNAME means nothing); elsewhere a holder of a gateway key, sent as
 * the login cookie, Basic auth (any user name, the key as password) or the API's own key headers.
 */
import { type Config, isLoopback } from "../config.ts";
import { clientKey, constantTimeEqual } from "../http/auth.ts";

export const COOKIE_NAME = "ocb_status";
const COOKIE_MAX_AGE_SECONDS = 7 * 86_400;
const encoder = new TextEncoder();

export type Access = "open" | "cookie" | "key";

export interface StatusAccess {
  /** How this request may see the page, or undefined when it may not. */
  check(request: Request): Promise<Access | undefined>;
  /** Whether `key` is a gateway key; constant time in where it differs. */
  isKey(key: string): boolean;
  /** The Set-Cookie value that signs a browser in with `key` (already checked). */
  signInCookie(key: string, secure: boolean): Promise<string>;
  /** Why the page is locked for good on this configuration, if it is. */
  readonly locked?: string;
}

function onDenoDeploy(): boolean {
  try {
    return Boolean(Deno.env.get("DENO_DEPLOYMENT_ID"));
  } catch {
    return false;
  }
}

/**
 * The cookie holds a digest of the key, never the key: stateless (every isolate accepts it), and it stops
 * working when the key is removed from GATEWAY_KEYS.
 */
async function cookieToken(key: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    encoder.encode(`opencode-bridge status v1\u0000${key}`),
  );
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function createStatusAccess(
  config: Pick<Config, "HOSTNAME" | "GATEWAY_KEYS">,
  options: { deployed?: boolean } = {},
): StatusAccess {
  const open = isLoopback(config.HOSTNAME) && !(options.deployed ?? onDenoDeploy());
  const keys = config.GATEWAY_KEYS ?? [];
  const tokens = Promise.all(keys.map(cookieToken));
  const isKey = (presented: string) => {
    let match = false;
    for (const key of keys) match = constantTimeEqual(presented, key) || match;
    return match;
  };
  return {
    locked: open || keys.length > 0
      ? undefined
      : "this gateway listens beyond loopback and has no GATEWAY_KEYS: set GATEWAY_KEYS to unlock the status page",
    isKey,
    async check(request) {
      if (open) return "open";
      if (keys.length === 0) return undefined;
      const basic = basicPassword(request.headers.get("authorization"));
      const presented = basic ?? clientKey(request.headers);
      if (presented !== undefined && isKey(presented)) return "key";
      const cookie = cookieValue(request.headers.get("cookie"), COOKIE_NAME);
      if (cookie === undefined) return undefined;
      let match = false;
      for (const token of await tokens) match = constantTimeEqual(cookie, token) || match;
      return match ? "cookie" : undefined;
    },
    async signInCookie(key, secure) {
      const token = await cookieToken(key);
      return `${COOKIE_NAME}=${token}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${
        secure ? "; Secure" : ""
      }`;
    },
  };
}

/** The Set-Cookie value that signs a browser out. */
export function signOutCookie(): string {
  return `${COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`;
}

function basicPassword(header: string | null): string | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "")?.[1];
  if (!encoded) return undefined;
  try {
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  } catch {
    return undefined;
  }
}

function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}
