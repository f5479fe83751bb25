/**
 * Per-process request statistics for the status page and /metrics, fed from the finished request record.
 * Memory is bounded whatever the traffic: fixed histograms, capped label sets, a ring of recent requests.
 */
import type { RequestRecord } from "../log/request_record.ts";
import { parsePath } from "../routes/parse_path.ts";
import { LatencyHistogram } from "./latency_histogram.ts";

/** Counters of one upstream model (service + upstream id) since the process started. */
export interface ModelCounters {
  service: string;
  model: string;
  family: string;
  requests: number;
  /** By error class (`rate_limit_error`, `GoUsageLimitError`…). */
  errors: Record<string, number>;
  latency: LatencyHistogram;
  upstreamLatency: LatencyHistogram;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Dollars from OpenCode's cost frames, and how many requests carried one. */
  costUsd: number;
  costedRequests: number;
  retries: number;
  fallbacks: number;
}

/** One line of the recent-requests table: never a body, a key or a message text. */
export interface RecentRequest {
  /** ISO time the request ended. */
  time: string;
  route: string;
  status: number;
  latencyMs: number;
  model?: string;
  upstreamModel?: string;
  service?: string;
  family?: string;
  stream?: boolean;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  costUsd?: number;
  /** Error class only. */
  error?: string;
}

/** Labels of the requests counter: route, model, family, status. */
export interface RequestSeries {
  route: string;
  service: string;
  model: string;
  family: string;
  status: string;
  count: number;
}

const RECENT_LIMIT = 50;
/** Past these, new label values fold into `other` (a client naming endless models must not grow memory). */
const MAX_MODELS = 200;
const MAX_SERIES = 2_000;
const MAX_ERROR_CLASSES = 24;
const OTHER = "other";

const knownRoutes = new Set([
  "/v1/messages",
  "/v1/messages/count_tokens",
  "/v1/chat/completions",
  "/v1/responses",
  "/v1/models",
  "/api/hello",
  "/",
]);

/** The route label: the endpoint without service prefix or model segment; anything else is `other`. */
export function routeLabel(path: string): string {
  const endpoint = parsePath(path)?.endpoint;
  if (!endpoint) return OTHER;
  if (/^\/v1\/models\/.+/.test(endpoint)) return "/v1/models/{id}";
  return knownRoutes.has(endpoint) ? endpoint : OTHER;
}

/** An error class as a label value: short and plain, or `other`. */
export function errorClass(type: string | undefined): string {
  return type && /^[A-Za-z0-9_.-]{1,64}$/.test(type) ? type : OTHER;
}

export class RequestStats {
  readonly startedAt: number;
  readonly models = new Map<string, ModelCounters>();
  readonly series = new Map<string, RequestSeries>();
  /** Requests that ended with an upstream involved, by service and error class. */
  readonly upstreamErrors = new Map<string, { service: string; class: string; count: number }>();
  readonly recent: RecentRequest[] = [];
  activeStreams = 0;
  total = 0;
  totalErrors = 0;

  constructor(now: number = Date.now()) {
    this.startedAt = now;
  }

  /** A streamed response began; `done` settles when its body ends. */
  trackStream(done: Promise<void>): void {
    this.activeStreams++;
    done.finally(() => this.activeStreams--);
  }

  /** Counts a finished request (its log line is written at the same moment). */
  observe(record: RequestRecord, latencyMs: number, now: number = Date.now()): void {
    const status = record.status ?? 0;
    const failed = status >= 400 || record.error !== undefined;
    const route = routeLabel(record.path);
    const model = record.upstreamModel ? this.#modelFor(record) : undefined;
    this.total++;
    if (failed) this.totalErrors++;
    this.#countSeries({
      route,
      service: model?.service ?? "",
      model: model?.model ?? "",
      family: model?.family ?? "",
      status: String(status),
      count: 0,
    });
    const usage = record.usage ?? {};
    // The upstream's own class (GoUsageLimitError) says more than the gateway's kind (rate_limit_error).
    const errorType = record.error ? errorClass(record.error.upstreamType ?? record.error.type) : undefined;
    if (model) {
      model.requests++;
      model.latency.observe(latencyMs);
      if (record.upstreamLatencyMs !== undefined) model.upstreamLatency.observe(record.upstreamLatencyMs);
      model.inputTokens += usage.input_tokens ?? 0;
      model.outputTokens += usage.output_tokens ?? 0;
      model.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
      model.cacheWriteTokens += usage.cache_creation_input_tokens ?? 0;
      if (record.costUsd !== undefined) {
        model.costUsd += record.costUsd;
        model.costedRequests++;
      }
      model.retries += record.retries;
      if (record.fallback) model.fallbacks++;
      if (failed) {
        const key = errorType ?? `http_${status}`;
        const errors = model.errors;
        const label = key in errors || Object.keys(errors).length < MAX_ERROR_CLASSES ? key : OTHER;
        errors[label] = (errors[label] ?? 0) + 1;
      }
    }
    if (failed && record.upstreamStatus !== undefined && model) {
      const label = errorType ?? `http_${status}`;
      const key = `${model.service}\u0000${label}`;
      const entry = this.upstreamErrors.get(key) ??
        (this.upstreamErrors.size < MAX_SERIES
          ? { service: model.service, class: label, count: 0 }
          : undefined);
      if (entry) {
        entry.count++;
        this.upstreamErrors.set(key, entry);
      }
    }
    this.recent.push({
      time: new Date(now).toISOString(),
      route,
      status,
      latencyMs: Math.round(latencyMs),
      model: record.model,
      upstreamModel: record.upstreamModel,
      service: record.service,
      family: record.family,
      stream: record.stream,
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens,
      costUsd: record.costUsd,
      error: errorType,
    });
    if (this.recent.length > RECENT_LIMIT) this.recent.shift();
  }

  #modelFor(record: RequestRecord): ModelCounters {
    const service = record.service ?? "";
    const id = record.upstreamModel ?? "";
    const found = this.models.get(`${service}/${id}`);
    if (found) return found;
    const overflow = this.models.size >= MAX_MODELS;
    const key = overflow ? `${service}/${OTHER}` : `${service}/${id}`;
    const counters = this.models.get(key) ?? {
      service,
      model: overflow ? OTHER : id,
      family: overflow ? OTHER : record.family ?? "",
      requests: 0,
      errors: {},
      latency: new LatencyHistogram(),
      upstreamLatency: new LatencyHistogram(),
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
      costedRequests: 0,
      retries: 0,
      fallbacks: 0,
    };
    this.models.set(key, counters);
    return counters;
  }

  #countSeries(labels: RequestSeries): void {
    let key = [labels.route, labels.service, labels.model, labels.family, labels.status].join("\u0000");
    if (!this.series.has(key) && this.series.size >= MAX_SERIES) {
      labels = { ...labels, model: OTHER, family: OTHER };
      key = [labels.route, labels.service, OTHER, OTHER, labels.status].join("\u0000");
    }
    const entry = this.series.get(key) ?? labels;
    entry.count++;
    this.series.set(key, entry);
  }
}

/** Share of the prompt served from the upstream's cache: cache reads over all prompt tokens. */
export function cacheReadShare(
  counters: Pick<ModelCounters, "inputTokens" | "cacheReadTokens" | "cacheWriteTokens">,
) {
  const prompt = counters.inputTokens + counters.cacheReadTokens + counters.cacheWriteTokens;
  return prompt === 0 ? undefined : counters.cacheReadTokens / prompt;
}
