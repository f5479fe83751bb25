/** Reads the network sources: models.dev metadata and each service's live `GET {base}/models`. Never throws. */
import type { Config } from "../config.ts";
import { type ModelsDevProviders, parseModelsDevProviders } from "./models_dev.ts";
import type { Service } from "./types.ts";

export interface FetchedSources {
  /** Undefined when models.dev could not be read or lacked the OpenCode providers. */
  modelsDev?: ModelsDevProviders;
  live: Partial<Record<Service, string[]>>;
  /** One line per failed source, for the log. */
  errors: string[];
}

const timeoutMs = 10_000;

export async function fetchSources(config: Config, fetchFn: typeof fetch): Promise<FetchedSources> {
  const errors: string[] = [];
  const headers: HeadersInit = config.OPENCODE_API_KEY
    ? { authorization: `Bearer ${config.OPENCODE_API_KEY}` }
    : {};
  const [modelsDev, go, zen] = await Promise.all([
    getJson(fetchFn, config.MODELS_DEV_URL, {}).then(parseModelsDevProviders).catch((error) => {
      errors.push(`models.dev (${config.MODELS_DEV_URL}): ${describe(error)}`);
      return undefined;
    }),
    liveList(fetchFn, config.OPENCODE_GO_URL, headers).catch((error) => {
      errors.push(`Go model list: ${describe(error)}`);
      return undefined;
    }),
    liveList(fetchFn, config.OPENCODE_ZEN_URL, headers).catch((error) => {
      errors.push(`Zen model list: ${describe(error)}`);
      return undefined;
    }),
  ]);
  const live: Partial<Record<Service, string[]>> = {};
  if (go) live.go = go;
  if (zen) live.zen = zen;
  return { modelsDev, live, errors };
}

/** `{data:[{id}]}` → ids; an empty list counts as a failure so a glitch cannot empty the catalog. */
async function liveList(fetchFn: typeof fetch, baseUrl: string, headers: HeadersInit): Promise<string[]> {
  const json = await getJson(fetchFn, `${baseUrl.replace(/\/+$/, "")}/models`, headers) as {
    data?: { id?: unknown }[];
  };
  const ids = (Array.isArray(json?.data) ? json.data : [])
    .map((item) => item?.id)
    .filter((id): id is string => typeof id === "string" && id.length > 0);
  if (ids.length === 0) throw new Error("empty model list");
  return ids;
}

async function getJson(fetchFn: typeof fetch, url: string, headers: HeadersInit): Promise<unknown> {
  const controller = new AbortController();
  // A plain timer (cleared in finally) instead of AbortSignal.timeout, so nothing outlives the call.
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await fetchFn(url, {
      headers: { accept: "application/json", "user-agent": "opencode-bridge", ...headers },
      signal: controller.signal,
      // The live lists carry the server's key: a redirect must never take it to another host.
      redirect: "manual",
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new Error(`redirect (HTTP ${response.status}) not followed`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    return await response.json();
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
