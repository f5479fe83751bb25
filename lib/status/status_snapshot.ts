/**
 * Everything the status page shows, as one JSON-ready object (also served as /status.json): version,
 * uptime, services, catalog, Go usage, the model table with its per-process counters, recent requests.
 */
import type { CatalogData } from "../catalog/schema.ts";
import { catalogEntryFacts } from "../catalog/entry_facts.ts";
import type { ConfigWarning } from "../catalog/config_warnings.ts";
import denoJson from "../../deno.json" with { type: "json" };
import type { GoUsage } from "./go_usage.ts";
import {
  cacheReadShare,
  type ModelCounters,
  type RecentRequest,
  type RequestStats,
} from "./request_stats.ts";
import type { ServiceStatus } from "./service_probe.ts";

export interface ModelRow {
  id: string;
  service: string;
  family: string;
  context?: number;
  output?: number;
  images?: boolean;
  pdf?: boolean;
  reasoning?: boolean;
  /** Dollars per million tokens. */
  price?: { input: number; output: number; cacheRead: number | null } | null;
  /** False for a model that answered but is not in the catalog (a fallback, an override). */
  inCatalog: boolean;
  counters?: {
    requests: number;
    errors: Record<string, number>;
    latencyP50Ms?: number;
    latencyP95Ms?: number;
    upstreamLatencyP50Ms?: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    /** cacheRead / (input + cacheRead + cacheWrite). */
    cacheReadShare?: number;
    costUsd: number;
    costedRequests: number;
    retries: number;
    fallbacks: number;
  };
}

export interface StatusSnapshot {
  name: "opencode-bridge";
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  /** Counters cover this process (one isolate on Deno Deploy) since `startedAt`. */
  scope: "process";
  totals: { requests: number; errors: number; activeStreams: number };
  /** Empty while the first probe is still running (see the next render). */
  services: ServiceStatus[];
  catalog?: { source: string; fetchedAt: string; ageSeconds: number; live: { go: boolean; zen: boolean } };
  /** Present when the gateway holds a server-side key. */
  usage?: GoUsage;
  models: ModelRow[];
  recent: RecentRequest[];
  /** Model settings (MODEL_OPUS/SONNET/HAIKU, VISION_MODEL) that no service serves. */
  warnings: ConfigWarning[];
}

export interface SnapshotSources {
  stats: RequestStats;
  /** Undefined while the first probe is still running. */
  services: () => Promise<ServiceStatus[] | undefined>;
  catalog?: () => Promise<CatalogData>;
  /** The providers file's models (lib/providers/), listed after OpenCode's. */
  providerModels?: (catalog: CatalogData) => Promise<ModelRow[]>;
  usage?: () => Promise<GoUsage | undefined>;
  warnings?: (catalog: CatalogData) => ConfigWarning[];
  now?: () => number;
}

export const version: string = denoJson.version;

export async function statusSnapshot(sources: SnapshotSources): Promise<StatusSnapshot> {
  const now = (sources.now ?? Date.now)();
  const [services, catalog, usage] = await Promise.all([
    sources.services(),
    sources.catalog?.().catch(() => undefined),
    sources.usage?.(),
  ]);
  const { stats } = sources;
  return {
    name: "opencode-bridge",
    version,
    startedAt: new Date(stats.startedAt).toISOString(),
    uptimeSeconds: Math.max(0, Math.round((now - stats.startedAt) / 1000)),
    scope: "process",
    totals: { requests: stats.total, errors: stats.totalErrors, activeStreams: stats.activeStreams },
    services: services ?? [],
    catalog: catalog && {
      source: catalog.source,
      fetchedAt: new Date(catalog.fetchedAt).toISOString(),
      ageSeconds: Math.max(0, Math.round((now - catalog.fetchedAt) / 1000)),
      live: catalog.live,
    },
    usage,
    models: modelRows(catalog, stats.models, catalog && await sources.providerModels?.(catalog) || []),
    // Newest first.
    recent: [...stats.recent].reverse(),
    warnings: catalog && sources.warnings ? sources.warnings(catalog) : [],
  };
}

/** Every catalog model, the ones with traffic first; models that answered without a catalog entry after. */
function modelRows(
  catalog: CatalogData | undefined,
  counters: Map<string, ModelCounters>,
  providerRows: ModelRow[],
): ModelRow[] {
  const rows: ModelRow[] = [];
  const seen = new Set<string>();
  for (const service of ["go", "zen"] as const) {
    for (const entry of catalog?.services[service] ?? []) {
      const key = `${service}/${entry.id}`;
      seen.add(key);
      rows.push({
        id: entry.id,
        service,
        ...catalogEntryFacts(entry),
        inCatalog: true,
        counters: countersRow(counters.get(key)),
      });
    }
  }
  for (const row of providerRows) {
    const key = `${row.service}/${row.id}`;
    seen.add(key);
    rows.push({ ...row, counters: countersRow(counters.get(key)) });
  }
  for (const [key, model] of counters) {
    if (seen.has(key)) continue;
    rows.push({
      id: model.model,
      service: model.service,
      family: model.family,
      inCatalog: false,
      counters: countersRow(model),
    });
  }
  return rows.sort((a, b) => (b.counters?.requests ?? 0) - (a.counters?.requests ?? 0));
}

function countersRow(model: ModelCounters | undefined): ModelRow["counters"] {
  if (!model) return undefined;
  return {
    requests: model.requests,
    errors: { ...model.errors },
    latencyP50Ms: round(model.latency.quantile(0.5)),
    latencyP95Ms: round(model.latency.quantile(0.95)),
    upstreamLatencyP50Ms: round(model.upstreamLatency.quantile(0.5)),
    inputTokens: model.inputTokens,
    outputTokens: model.outputTokens,
    cacheReadTokens: model.cacheReadTokens,
    cacheWriteTokens: model.cacheWriteTokens,
    cacheReadShare: cacheReadShare(model),
    costUsd: model.costUsd,
    costedRequests: model.costedRequests,
    retries: model.retries,
    fallbacks: model.fallbacks,
  };
}

function round(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value);
}
