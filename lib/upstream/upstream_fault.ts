/**
 * Words for an upstream that failed: which service (OpenCode Go or Zen, and the host) and how (refused, DNS,
 * TLS, timeout, redirect, bad body, rejected key). A fault of the upstream is a 502/503/504/529, never the
 * 500 that means a bug in the gateway; and no text an upstream sent reaches a client or a log line before
 * the keys that went with the request are scrubbed out of it.
 */
import { GatewayError } from "../errors/gateway_error.ts";
import { scrubSecrets } from "../log/redact.ts";

/** Where OpenCode users create an API key. */
export const KEY_URL = "https://opencode.ai/auth";

const serviceNames: Record<string, string> = { go: "OpenCode Go", zen: "OpenCode Zen" };

/** "OpenCode Go (opencode.ai)": the service a request went to and the host it reached for. */
export function upstreamLabel(service: string | undefined, url: string): string {
  const key = `${service} ${url}`;
  let label = labels.get(key);
  if (label === undefined) {
    let host = url;
    try {
      host = new URL(url).host;
    } catch { /* keep the text */ }
    label = `${(service && serviceNames[service]) ?? "The upstream"} (${host})`;
    // A pure memo (every request names one of a few services): parsing the URL each time cost ~2 µs.
    if (labels.size >= 64) labels.clear();
    labels.set(key, label);
  }
  return label;
}

const labels = new Map<string, string>();

// Header values that carry a key upstream (every family's header, plus OpenCode's Bearer form).
const keyHeaders = ["authorization", "x-api-key", "x-goog-api-key", "api-key", "proxy-authorization"];

/** Every credential value a request carries, both as sent (`Bearer sk-…`) and bare, for scrubbing. */
export function requestSecrets(
  headers: Headers | Record<string, string>,
  extra: readonly (string | undefined)[] = [],
): string[] {
  const secrets: string[] = [];
  for (const name of keyHeaders) {
    const value = (headers instanceof Headers ? headers.get(name) : headers[name])?.trim();
    if (!value) continue;
    secrets.push(value);
    const bare = value.replace(/^bearer\s+/i, "");
    if (bare !== value) secrets.push(bare);
  }
  for (const value of extra) if (value) secrets.push(value);
  // Longest first, so a key is removed whole before a shorter secret that is part of it.
  return secrets.sort((a, b) => b.length - a.length);
}

/**
 * Upstream text with every given secret removed, whatever its length (an upstream that echoes a one-letter
 * key still must not show it), plus anything shaped like a provider key.
 */
export function scrubUpstreamText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.replaceAll(secret, "[redacted]");
  return scrubSecrets(out, []);
}

/** How a connection attempt failed, from the error `fetch` threw (Deno puts the detail in `cause`). */
export function describeConnectFailure(error: unknown): string {
  const text = errorText(error);
  if (/dns error|failed to lookup|name or service not known|no such host|nodename nor servname/i.test(text)) {
    return "its host name could not be resolved (DNS)";
  }
  if (/connection refused/i.test(text)) return "the connection was refused";
  if (/connection reset|broken pipe/i.test(text)) return "the connection was reset";
  if (/certificate|tls|ssl|handshake|corrupt message|alert/i.test(text)) {
    return "the TLS handshake failed (certificate or protocol)";
  }
  if (/network is unreachable|no route to host|host is unreachable/i.test(text)) {
    return "the network path to it is unreachable";
  }
  if (/timed out/i.test(text)) return "the connection timed out";
  return "the connection failed";
}

/** The message of an error and of its causes, joined: Deno's fetch says only "fetch failed" at the top. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(" | ");
}

/** A connection that never produced a response: 502, naming the service and what went wrong. */
export function connectFault(label: string, error: unknown): GatewayError {
  return new GatewayError("api_error", `${label} could not be reached: ${describeConnectFailure(error)}`, {
    status: 502,
    cause: error,
  });
}

/** A 3xx: never followed (the key would go with it), reported as the upstream's fault. */
export function redirectFault(label: string, response: Response): GatewayError {
  const location = response.headers.get("location");
  let target = "";
  if (location) {
    try {
      target = ` to ${new URL(location, response.url || undefined).host}`;
    } catch {
      target = "";
    }
  }
  return new GatewayError(
    "api_error",
    `${label} answered with a redirect (HTTP ${response.status}${target}); the gateway does not follow ` +
      `upstream redirects`,
    { status: 502 },
  );
}

/** A 200 whose body is not what was asked for (an HTML login or proxy page, plain text…). */
export function badBodyFault(label: string, contentType: string): GatewayError {
  return new GatewayError(
    "api_error",
    `${label} answered 200 with ${contentType || "an untyped body"} instead of an API answer`,
    { status: 502 },
  );
}

/**
 * An upstream HTTP error (already parsed) with the service named: a rejected key says where to get one, a
 * 5xx becomes a 502 (the upstream's fault), overload and timeouts keep their own statuses.
 */
export function labelHttpError(label: string, status: number, error: GatewayError): GatewayError {
  const options = {
    retryAfter: error.retryAfter,
    param: error.param,
    upstreamType: error.upstreamType,
    cause: error.cause,
  };
  if (error.kind === "authentication_error" && (status === 401 || status === 403)) {
    return new GatewayError(
      "authentication_error",
      `${label} rejected the API key (HTTP ${status}: ${error.message}). Check OPENCODE_API_KEY or the key ` +
        `your client sends; get a key at ${KEY_URL}`,
      { ...options, status: 401 },
    );
  }
  if (error.kind === "api_error" && status >= 500) {
    return new GatewayError("api_error", `${label} failed with HTTP ${status}: ${brief(error.message)}`, {
      ...options,
      status: 502,
    });
  }
  if (error.kind === "overloaded_error" || error.kind === "timeout_error") {
    return new GatewayError(
      error.kind,
      `${label} is ${describeStatus(error.kind)} (HTTP ${status}): ${error.message}`,
      {
        ...options,
        status: error.status,
      },
    );
  }
  return error;
}

/** An upstream's own words, shortened: a page of HTML says nothing more than its first lines. */
function brief(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function describeStatus(kind: "overloaded_error" | "timeout_error"): string {
  return kind === "overloaded_error" ? "overloaded" : "timing out";
}
