/**
 * The last step before an upstream request is sent: a configured provider gets its own key in its own header
 * (never the server's OPENCODE_API_KEY), its extra headers, Azure's URL query, and none of OpenCode's session
 * headers; the OpenCode services get the CUSTOM_HEADER_<NAME> headers. Configured headers never replace an
 * auth header (the schemas refuse those names as well).
 */
import type { Config } from "../config.ts";
import type { UpstreamCall, UpstreamRequest } from "../hub/wire_format.ts";
import { clientKey } from "../http/auth.ts";
import { protectedHeaderNames, type ProviderConfig } from "./provider_schema.ts";

/** Headers that only mean something to OpenCode: a session id is not another service's business. */
const openCodeOnlyHeaders = ["x-opencode-session", "x-opencode-client"];
/** Every header a key travels in, for any format: a provider request carries only its own. */
export const authHeaderNames = ["authorization", "x-api-key", "api-key", "x-goog-api-key"] as const;

type ProvidersConfig = Pick<Config, "providers" | "customHeaders" | "GATEWAY_KEYS">;

/** The configured provider a resolved model belongs to; undefined for the OpenCode services. */
export function providerOf(config: Pick<Config, "providers">, service: string): ProviderConfig | undefined {
  if (service === "go" || service === "zen") return undefined;
  return config.providers.find((provider) => provider.name === service);
}

/** The header a provider reads its key from: Azure `api-key`, else the format's own. */
export function providerAuthHeaders(provider: ProviderConfig, key: string): Headers {
  if (provider.azure) return new Headers({ "api-key": key });
  switch (provider.format) {
    case "anthropic":
      return new Headers({ "x-api-key": key });
    case "gemini":
      return new Headers({ "x-goog-api-key": key });
    default:
      return new Headers({ authorization: `Bearer ${key}` });
  }
}

/**
 * The key a provider gets: its configured one, else the client's own, unless GATEWAY_KEYS is set (the client's
 * key is then the gateway's, which must not leave it); undefined means none is sent (a local server).
 */
export function providerKey(provider: ProviderConfig, call: UpstreamCall, config: ProvidersConfig) {
  if (provider.apiKey) return provider.apiKey;
  if (config.GATEWAY_KEYS?.length) return undefined;
  return clientKey(call.clientHeaders);
}

/** The request as it goes out; `request` is left untouched. */
export function providerRequest(
  request: UpstreamRequest,
  call: UpstreamCall,
  config: ProvidersConfig,
): UpstreamRequest {
  const provider = providerOf(config, call.model.service);
  if (!provider) {
    // The usual case sets nothing: the request goes as built.
    if (Object.keys(config.customHeaders).length === 0) return request;
    const headers = { ...request.headers };
    setExtraHeaders(headers, config.customHeaders);
    return { ...request, headers };
  }
  const headers = { ...request.headers };
  for (const name of [...authHeaderNames, ...openCodeOnlyHeaders]) delete headers[name];
  const key = providerKey(provider, call, config);
  if (key) providerAuthHeaders(provider, key).forEach((value, name) => headers[name] = value);
  setExtraHeaders(headers, provider.headers);
  let url = request.url;
  if (provider.azure) {
    const parsed = new URL(url);
    parsed.searchParams.set("api-version", provider.azure.apiVersion);
    url = parsed.toString();
  }
  return { ...request, url, headers };
}

/** Configured headers, by their lower-case names (the request's own are lower-case too). */
function setExtraHeaders(headers: Record<string, string>, extra: Record<string, string>): void {
  for (const [name, value] of Object.entries(extra)) {
    const lower = name.toLowerCase();
    if (!protectedHeaderNames.has(lower)) headers[lower] = value;
  }
}

/**
 * Configured values to keep out of logs: provider keys, and header values that look like credentials (a
 * header named like a token, or a long opaque value).
 */
export function configuredSecrets(config: Pick<Config, "providers" | "customHeaders">): string[] {
  const secrets: string[] = [];
  const headerSecrets = (headers: Record<string, string>) => {
    for (const [name, value] of Object.entries(headers)) {
      if (looksSecret(name, value)) secrets.push(value);
    }
  };
  headerSecrets(config.customHeaders);
  for (const provider of config.providers) {
    if (provider.apiKey) secrets.push(provider.apiKey);
    headerSecrets(provider.headers);
  }
  return secrets;
}

export function looksSecret(name: string, value: string): boolean {
  return /key|token|secret|auth|password|session|cookie|signature/i.test(name) ||
    /^[A-Za-z0-9._~+/=-]{24,}$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value);
}
