/** Startup lines for the configured providers: where each one's requests go and whose key they carry. */
import type { Config } from "../config.ts";

export function providerSummary(config: Pick<Config, "providers" | "GATEWAY_KEYS">): string[] {
  return config.providers.map((provider) => {
    const url = new URL(provider.baseUrl);
    // Only origin and path: credentials in a URL are never printed.
    const where = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
    const models = `${provider.models.length} model${provider.models.length === 1 ? "" : "s"}` +
      (provider.discover ? " + what its /models lists" : "");
    const key = provider.apiKey
      ? "its own key"
      : config.GATEWAY_KEYS?.length
      ? "no key"
      : "each client's own key";
    return `provider ${provider.name}: ${provider.format}${provider.azure ? " (Azure)" : ""} at ${where}, ` +
      `${models} as ${provider.name}/<id>, ${key}`;
  });
}
