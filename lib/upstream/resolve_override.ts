/**
 * The `x-upstream-url` override, checked down to the addresses it reaches: after the URL checks
 * (upstream_override.ts) a host name is resolved (A and AAAA) and EVERY address must be public, else 403.
 * An `http:` upstream is then connected only to the checked address (a Deno HttpClient whose transport is a
 * TCP socket to that address), so a DNS answer that changes between the check and the connection (DNS
 * rebinding) cannot move it. Deno 2.9 cannot pin an `https:` connection that way (its TCP transport speaks
 * plain HTTP), so for https the name is resolved again by fetch: the window between the check and the connect
 * remains, documented in docs/security.md.
 */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import { isIpLiteral, privateAddressReason, stripDots } from "./private_address.ts";
import { checkOverrideUrl, UPSTREAM_URL_HEADER } from "./upstream_override.ts";

type OverrideConfig = Pick<Config, "UPSTREAM_URL_OVERRIDE_HOSTS" | "UPSTREAM_URL_ALLOW_PRIVATE">;

export type ResolveDns = (
  host: string,
  type: "A" | "AAAA",
  options?: { signal?: AbortSignal },
) => Promise<string[]>;

export interface OverrideTarget {
  /** The checked base URL every candidate model is sent to. */
  baseUrl: string;
  /** The address the connection is pinned to (http only), for the log and tests. */
  pinnedAddress?: string;
  /** `fetch` for this request: pinned to the checked address when the scheme allows it. */
  fetch: typeof fetch;
  /** Releases the pinned connection pool; call once the exchange is over. */
  close(): void;
}

export interface ResolveOverrideOptions {
  fetch: typeof fetch;
  /** Injectable for tests; Deno.resolveDns by default. */
  resolveDns?: ResolveDns;
  signal?: AbortSignal;
  /** How long resolving may take (default 10 s). */
  timeoutMs?: number;
}

/** The override for this request, or undefined when the client sent none or overrides are off. */
export async function resolveUpstreamOverride(
  headers: Headers,
  config: OverrideConfig,
  options: ResolveOverrideOptions,
): Promise<OverrideTarget | undefined> {
  const requested = headers.get(UPSTREAM_URL_HEADER)?.trim();
  if (!requested || (config.UPSTREAM_URL_OVERRIDE_HOSTS ?? []).length === 0) return undefined;
  const baseUrl = checkOverrideUrl(requested, config);
  const plain = { baseUrl, fetch: options.fetch, close() {} };
  // The operator allowed private targets: nothing to resolve or pin.
  if (config.UPSTREAM_URL_ALLOW_PRIVATE) return plain;
  const url = new URL(baseUrl);
  const host = stripDots(url.hostname.replace(/^\[|\]$/g, ""));
  // A literal was checked by checkOverrideUrl, and fetch connects to exactly that address.
  if (isIpLiteral(host)) return plain;
  const addresses = await resolveAll(host, options);
  for (const address of addresses) {
    const reason = privateAddressReason(address);
    if (reason) {
      throw new GatewayError(
        "permission_error",
        `${UPSTREAM_URL_HEADER} host ${host} resolves to ${address}, in ${reason}; private addresses are ` +
          `not allowed (UPSTREAM_URL_ALLOW_PRIVATE)`,
      );
    }
  }
  if (url.protocol !== "http:") return plain;
  const pinnedAddress = addresses[0];
  const port = Number(url.port || 80);
  const client = Deno.createHttpClient({ proxy: { transport: "tcp", hostname: pinnedAddress, port } });
  const fetchFn = options.fetch;
  return {
    baseUrl,
    pinnedAddress,
    fetch: (input, init) => fetchFn(input, { ...init, client }),
    close: () => client.close(),
  };
}

/** Every A and AAAA address of `host`; 502 when there is none (the name does not resolve). */
async function resolveAll(host: string, options: ResolveOverrideOptions): Promise<string[]> {
  const resolveDns = options.resolveDns ?? ((name, type, init) => Deno.resolveDns(name, type, init));
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  try {
    const answers = await Promise.allSettled([
      resolveDns(host, "A", { signal }),
      resolveDns(host, "AAAA", { signal }),
    ]);
    const addresses = answers.flatMap((answer) => answer.status === "fulfilled" ? answer.value : []);
    if (addresses.length === 0) {
      const failure = answers.find((answer) => answer.status === "rejected") as
        | PromiseRejectedResult
        | undefined;
      const why = timeout.signal.aborted
        ? "timed out"
        : failure
        ? String((failure.reason as Error)?.message ?? failure.reason).slice(0, 200)
        : "no A or AAAA records";
      throw new GatewayError(
        "api_error",
        `${UPSTREAM_URL_HEADER} host ${host} could not be resolved (DNS: ${why})`,
        { status: 502 },
      );
    }
    // IPv4 first: it is what fetch itself tries first on most systems.
    return [...addresses.filter((a) => !a.includes(":")), ...addresses.filter((a) => a.includes(":"))];
  } finally {
    clearTimeout(timer);
  }
}
