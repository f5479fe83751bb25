/**
 * Structured logs: one JSON line per request (and a few operational lines), written to an injectable sink
 * (stderr by default). Every line is scrubbed of the gateway's and the request's credentials.
 */
import type { Config } from "../config.ts";
import { configuredSecrets } from "../providers/provider_request.ts";
import { redactValue, scrubSecrets } from "./redact.ts";
import type { RequestRecord } from "./request_record.ts";
import { scrubValueStrings } from "./scrub_values.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogSink = (line: string) => void;

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  /** The request's line: level from the client status (5xx error, 4xx warn, else info). */
  request(record: RequestRecord): void;
}

const rank: Record<LogLevel | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const encoder = new TextEncoder();
/** Bodies are truncated to this many characters of JSON once redacted. */
const MAX_BODY_CHARS = 16_384;

export function stderrSink(line: string): void {
  Deno.stderr.writeSync(encoder.encode(`${line}\n`));
}

export function createLogger(
  config:
    & Pick<Config, "LOG_LEVEL" | "LOG_BODIES" | "OPENCODE_API_KEY" | "GATEWAY_KEYS">
    & Partial<Pick<Config, "providers" | "customHeaders">>,
  sink: LogSink = stderrSink,
): Logger {
  const threshold = rank[config.LOG_LEVEL];
  const configured = [
    config.OPENCODE_API_KEY,
    ...(config.GATEWAY_KEYS ?? []),
    ...configuredSecrets({ providers: config.providers ?? [], customHeaders: config.customHeaders ?? {} }),
  ].filter((key): key is string => typeof key === "string" && key.length > 0);
  // How each configured key appears inside a JSON string: escaping is per character, so a value that holds a
  // key puts this form in the line.
  const escaped = configured.map((key) => JSON.stringify(key).slice(1, -1));
  const write = (level: LogLevel, fields: Record<string, unknown>, secrets: readonly string[]) => {
    if (rank[level] < threshold) return;
    const time = new Date().toISOString();
    let line = JSON.stringify({ time, level, ...fields });
    // Configured keys of any length, inside string values; then the text pass for key shapes. The value walk
    // copies every field, so it runs only for a line where a key shows at all (rare).
    if (escaped.some((key) => line.includes(key))) {
      line = JSON.stringify({
        time,
        level,
        ...scrubValueStrings(fields, configured) as Record<string, unknown>,
      });
    }
    try {
      sink(scrubSecrets(line, [...configured, ...secrets]));
    } catch {
      // A broken sink (closed stderr) must never fail a request.
    }
  };
  return {
    log(level, message, fields = {}) {
      write(level, { msg: message, ...fields }, []);
    },
    request(record) {
      const status = record.status ?? 0;
      const level: LogLevel = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
      const secrets = [...configured, ...record.secrets];
      const fields: Record<string, unknown> = {
        msg: "request",
        request_id: record.id,
        method: record.method,
        route: record.path,
        status: record.status,
        model: record.model,
        upstream_model: record.upstreamModel,
        family: record.family,
        service: record.service,
        stream: record.stream,
        upstream_status: record.upstreamStatus,
        upstream_latency_ms: record.upstreamLatencyMs,
        latency_ms: Math.round(performance.now() - record.startedAt),
        usage: record.usage,
        cost_usd: record.costUsd,
        retries: record.retries,
        fallback: record.fallback,
        compact_system_saved_tokens: record.compactSystemSavedTokens,
        summary_format: record.summaryFormat,
        client_closed: record.clientClosed || undefined,
        error: record.error,
        notes: record.notes,
      };
      if (config.LOG_BODIES) {
        fields.request_body = body(record.requestBody, secrets);
        fields.response_body = body(record.responseBody, secrets);
      }
      write(level, fields, record.secrets);
    },
  };
}

function body(value: unknown, secrets: readonly string[]): unknown {
  if (value === undefined) return undefined;
  const redacted = redactValue(value, { secrets });
  const text = JSON.stringify(redacted);
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…[truncated]` : redacted;
}
