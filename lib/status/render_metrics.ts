/**
 * /metrics in the Prometheus text exposition format (version 0.0.4) from the per-process RequestStats.
 * Latencies are exported in seconds over the histogram's fixed buckets.
 */
import { LATENCY_BOUNDS_MS, type LatencyHistogram } from "./latency_histogram.ts";
import type { RequestStats } from "./request_stats.ts";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const PREFIX = "opencode_bridge";

type Labels = Record<string, string>;

export function renderMetrics(stats: RequestStats, version: string, now: number = Date.now()): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string) => {
    out.push(`# HELP ${PREFIX}_${name} ${help}`, `# TYPE ${PREFIX}_${name} ${type}`);
  };
  const sample = (name: string, labels: Labels, value: number) => {
    out.push(`${PREFIX}_${name}${labelText(labels)} ${formatValue(value)}`);
  };
  const models = [...stats.models.values()];

  family("build_info", "gauge", "The gateway's version.");
  sample("build_info", { version }, 1);
  family(
    "start_time_seconds",
    "gauge",
    "When this process started (Unix seconds); counters start at zero then.",
  );
  sample("start_time_seconds", {}, stats.startedAt / 1000);
  family("uptime_seconds", "gauge", "Seconds since this process started.");
  sample("uptime_seconds", {}, Math.max(0, (now - stats.startedAt) / 1000));
  family("active_streams", "gauge", "Streamed responses in progress.");
  sample("active_streams", {}, stats.activeStreams);

  family("requests_total", "counter", "Requests by route, service, model, family and HTTP status.");
  for (const series of stats.series.values()) {
    const { route, service, model, family: wire, status } = series;
    sample("requests_total", { route, service, model, family: wire, status }, series.count);
  }
  histogram(
    out,
    "request_duration_seconds",
    "Request latency until the response ended, by model.",
    models,
    "latency",
  );
  histogram(
    out,
    "upstream_duration_seconds",
    "Upstream latency until its response headers arrived, by model.",
    models,
    "upstreamLatency",
  );
  family("tokens_total", "counter", "Tokens by model and type (input, output, cache_read, cache_write).");
  for (const model of models) {
    const labels = { service: model.service, model: model.model };
    sample("tokens_total", { ...labels, type: "input" }, model.inputTokens);
    sample("tokens_total", { ...labels, type: "output" }, model.outputTokens);
    sample("tokens_total", { ...labels, type: "cache_read" }, model.cacheReadTokens);
    sample("tokens_total", { ...labels, type: "cache_write" }, model.cacheWriteTokens);
  }
  family("cost_usd_total", "counter", "Dollars from OpenCode's own cost frames, by model.");
  for (const model of models) {
    sample("cost_usd_total", { service: model.service, model: model.model }, model.costUsd);
  }
  family("request_errors_total", "counter", "Failed requests by model and error class.");
  for (const model of models) {
    for (const [name, count] of Object.entries(model.errors)) {
      sample("request_errors_total", { service: model.service, model: model.model, class: name }, count);
    }
  }
  family(
    "upstream_errors_total",
    "counter",
    "Failed requests that reached an upstream, by service and class.",
  );
  for (const entry of stats.upstreamErrors.values()) {
    sample("upstream_errors_total", { service: entry.service, class: entry.class }, entry.count);
  }
  family("retries_total", "counter", "Extra upstream attempts (fallbacks included), by requested model.");
  for (const model of models) {
    sample("retries_total", { service: model.service, model: model.model }, model.retries);
  }
  family(
    "fallbacks_total",
    "counter",
    "Requests answered by a MODEL_FALLBACKS model, by the model that answered.",
  );
  for (const model of models) {
    sample("fallbacks_total", { service: model.service, model: model.model }, model.fallbacks);
  }
  return `${out.join("\n")}\n`;
}

function histogram(
  out: string[],
  name: string,
  help: string,
  models: { service: string; model: string; latency: LatencyHistogram; upstreamLatency: LatencyHistogram }[],
  field: "latency" | "upstreamLatency",
): void {
  out.push(`# HELP ${PREFIX}_${name} ${help}`, `# TYPE ${PREFIX}_${name} histogram`);
  for (const model of models) {
    const histogram = model[field];
    const labels = { service: model.service, model: model.model };
    let cumulative = 0;
    LATENCY_BOUNDS_MS.forEach((bound, index) => {
      cumulative += histogram.counts[index];
      out.push(`${PREFIX}_${name}_bucket${labelText({ ...labels, le: String(bound / 1000) })} ${cumulative}`);
    });
    out.push(`${PREFIX}_${name}_bucket${labelText({ ...labels, le: "+Inf" })} ${histogram.count}`);
    out.push(`${PREFIX}_${name}_sum${labelText(labels)} ${formatValue(histogram.sumMs / 1000)}`);
    out.push(`${PREFIX}_${name}_count${labelText(labels)} ${histogram.count}`);
  }
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Label values escape backslash, double quote and newline (the exposition format's only escapes). */
function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}
