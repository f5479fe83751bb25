/**
 * `discover: true`: the ids a provider's `GET {baseUrl}/models` lists, cached for CATALOG_TTL_SECONDS. The
 * first caller waits for the list (bounded by a timeout); a failed read serves the last good list (or none)
 * and is retried after a minute. A request never fails because discovery did.
 */
import type { ProviderConfig } from "./provider_schema.ts";
import { providerAuthHeaders } from "./provider_request.ts";

export interface DiscoveryOptions {
  fetch: typeof fetch;
  ttlMs: number;
  now: () => number;
  log: (message: string) => void;
}

const timeoutMs = 10_000;
const failureRetryMs = 60_000;

interface Cached {
  ids: string[];
  expiresAt: number;
}

/** Per provider: the last list, and the read in flight. Owned by one catalog. */
export class ProviderDiscovery {
  #options: DiscoveryOptions;
  #cache = new Map<string, Cached>();
  #inFlight = new Map<string, Promise<string[]>>();

  constructor(options: DiscoveryOptions) {
    this.#options = options;
  }

  /** Reads in flight (tests await them so no fetch outlives a test). */
  pending(): Promise<unknown>[] {
    return [...this.#inFlight.values()];
  }

  async ids(provider: ProviderConfig): Promise<string[]> {
    if (!provider.discover) return [];
    const cached = this.#cache.get(provider.name);
    if (cached && cached.expiresAt > this.#options.now()) return cached.ids;
    let read = this.#inFlight.get(provider.name);
    if (!read) {
      read = this.#read(provider).finally(() => this.#inFlight.delete(provider.name));
      this.#inFlight.set(provider.name, read);
    }
    return await read;
  }

  async #read(provider: ProviderConfig): Promise<string[]> {
    const { fetch, now, log, ttlMs } = this.#options;
    const url = `${provider.baseUrl.replace(/\/+$/, "")}/models`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    try {
      const headers = new Headers({ accept: "application/json", ...provider.headers });
      if (provider.apiKey) {
        providerAuthHeaders(provider, provider.apiKey).forEach((v, k) => headers.set(k, v));
      }
      const response = await fetch(url, { headers, signal: controller.signal });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const json = await response.json() as { data?: { id?: unknown }[]; models?: { id?: unknown }[] };
      // OpenAI's `{data:[{id}]}`; Gemini-style `{models:[{name}]}` is not read (list those models by hand).
      const list = Array.isArray(json?.data) ? json.data : [];
      const ids = list.map((item) => item?.id).filter((id): id is string =>
        typeof id === "string" && id !== ""
      );
      this.#cache.set(provider.name, { ids, expiresAt: now() + ttlMs });
      return ids;
    } catch (error) {
      log(`Provider ${provider.name}: model discovery at ${url} failed: ${(error as Error).message}`);
      const previous = this.#cache.get(provider.name)?.ids ?? [];
      this.#cache.set(provider.name, { ids: previous, expiresAt: now() + Math.min(ttlMs, failureRetryMs) });
      return previous;
    } finally {
      clearTimeout(timer);
    }
  }
}
