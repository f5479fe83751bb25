/**
 * Gets response headers from an upstream, with retries and per-model fallbacks. Everything here happens
 * before the client has seen a byte; once a Response is returned nothing is ever retried.
 */
import type { Catalog, Family, ResolvedModel, Service } from "../catalog/types.ts";
import type { Config } from "../config.ts";
import { type GatewayError, toGatewayError } from "../errors/gateway_error.ts";
import type {
  ClientFormat,
  RelayRequest,
  UpstreamCall,
  UpstreamFormat,
  UpstreamRequest,
} from "../hub/wire_format.ts";
import type { RequestRecord } from "../log/request_record.ts";
import { withUpstreamSpan } from "../telemetry/upstream_span.ts";
import { fetchUpstream, UpstreamError } from "./fetch_upstream.ts";
import { fallbacksFor, parseModelFallbacks } from "./model_fallbacks.ts";
import { type RelayMode, relayMode } from "./relay_mode.ts";
import { retryDecision, type RetryPolicy, sleep } from "./retry_policy.ts";

export interface SendUpstreamOptions {
  config: Config;
  fetch: typeof fetch;
  /** The upstream formats by family (formats/registry.ts), passed in so this layer imports no format. */
  formats: Record<Family, UpstreamFormat>;
  request: RelayRequest;
  /** The client's format: a candidate of the same format may get the client's JSON (relay_mode.ts). */
  client: ClientFormat;
  /** The primary model's call, its x-upstream-url override applied. */
  call: UpstreamCall;
  /** Client disconnect and total timeout. */
  signal: AbortSignal;
  /** Where MODEL_FALLBACKS names are resolved (the route's catalog and service); without it none is tried. */
  fallbacks?: { catalog: Pick<Catalog, "resolve">; service?: Service };
  /** The checked x-upstream-url base (resolve_override.ts), applied to every fallback as to the primary. */
  overrideBaseUrl?: string;
  record?: RequestRecord;
  /** Injectable for tests. */
  random?: () => number;
}

export interface SentUpstream {
  response: Response;
  /** The call that answered: a fallback's model when one was used. */
  call: UpstreamCall;
  format: UpstreamFormat;
  /** How the answer reaches the client, as decided for the candidate that answered. */
  mode: RelayMode;
  /** Attempts beyond the first, across models. */
  retries: number;
  /** Requested name of the fallback model that answered, if any. */
  fallback?: string;
}

export async function sendUpstream(options: SendUpstreamOptions): Promise<SentUpstream> {
  const { config, signal, record } = options;
  const policy: RetryPolicy = {
    retries: config.RETRIES,
    baseDelayMs: config.RETRY_BASE_DELAY_MS,
    capMs: config.RETRY_AFTER_CAP_MS,
    random: options.random,
  };
  const names = options.fallbacks
    ? fallbacksFor(parseModelFallbacks(config.MODEL_FALLBACKS), options.call.model)
    : [];
  let attempts = 0;
  let lastError: GatewayError | undefined;
  for (let candidate = 0; candidate <= names.length; candidate++) {
    const model = candidate === 0 ? options.call.model : await resolveQuietly(names[candidate - 1], options);
    if (!model) continue;
    const call: UpstreamCall = { ...options.call, model };
    const format = options.formats[model.family];
    const mode = relayMode(format, options.client, options.request);
    let upstreamRequest;
    try {
      upstreamRequest = buildUpstreamRequest(format, mode, options.request, call);
    } catch (error) {
      // The primary's own translation error is the client's answer; a fallback that cannot take it is skipped.
      if (candidate === 0) throw error;
      continue;
    }
    // A streamed upstream sends its headers at once, so CONNECT_TIMEOUT_MS catches a dead one quickly. A
    // non-streamed pass-through (the client's own `stream: false` JSON) gets its headers only once the whole
    // answer is generated, which may take minutes: it waits up to the exchange's total limit instead (the
    // total signal ends it first), so a long answer is not cut into a 504 and re-sent to a fallback.
    const connectTimeoutMs = mode === "passthrough" && !options.request.stream
      ? config.TOTAL_TIMEOUT_MS
      : config.CONNECT_TIMEOUT_MS;
    for (let attempt = 0;; attempt++) {
      if (signal.aborted) throw abortError(signal, lastError);
      if (attempts > 0 && record) record.retries = attempts;
      attempts++;
      const started = performance.now();
      try {
        const response = await withUpstreamSpan(call, record, () =>
          fetchUpstream(upstreamRequest, {
            fetch: options.fetch,
            signal,
            connectTimeoutMs,
            // An error answer is short whatever the request: its body gets the connect limit, never the total.
            errorBodyTimeoutMs: config.CONNECT_TIMEOUT_MS,
            service: model.service,
            secrets: [config.OPENCODE_API_KEY, call.apiKey],
          }));
        if (record) {
          record.upstreamStatus = response.status;
          record.upstreamLatencyMs = Math.round(performance.now() - started);
        }
        return {
          response,
          call,
          format,
          mode,
          retries: attempts - 1,
          fallback: candidate === 0 ? undefined : names[candidate - 1],
        };
      } catch (error) {
        lastError = toGatewayError(error);
        if (record && lastError instanceof UpstreamError) record.upstreamStatus = lastError.upstreamStatus;
        const decision = retryDecision(lastError, attempt, policy);
        if (decision.action === "fail") throw lastError;
        if (decision.action === "fallback") break;
        await sleep(decision.delayMs, signal).catch(() => {
          throw abortError(signal, lastError);
        });
      }
    }
  }
  throw lastError ?? toGatewayError(new Error("No upstream attempt was made"));
}

async function resolveQuietly(
  name: string,
  options: SendUpstreamOptions,
): Promise<ResolvedModel | undefined> {
  try {
    const model = await options.fallbacks!.catalog.resolve(name, { service: options.fallbacks!.service });
    return options.overrideBaseUrl ? { ...model, baseUrl: options.overrideBaseUrl } : model;
  } catch {
    // An unknown or misconfigured fallback must not hide the primary's real error.
    return undefined;
  }
}

function buildUpstreamRequest(
  format: UpstreamFormat,
  mode: RelayMode,
  request: RelayRequest,
  call: UpstreamCall,
): UpstreamRequest {
  if (mode === "passthrough") {
    return format.buildPassthroughRequest!({ ...request, clientBody: request.clientBody! }, call);
  }
  return format.buildRequest(request.hub, call);
}

function abortError(signal: AbortSignal, lastError: GatewayError | undefined): GatewayError {
  const reason = signal.reason;
  if (reason instanceof DOMException && reason.name === "TimeoutError") {
    return toGatewayError(reason);
  }
  return lastError ?? toGatewayError(reason);
}

/** Response headers saying who answered: service, family, model, and any retries or fallback. */
export function upstreamHeaders(sent: SentUpstream): [string, string][] {
  const model = sent.call.model;
  const headers: [string, string][] = [
    ["x-opencode-service", model.service],
    ["x-opencode-family", model.family],
    ["x-opencode-upstream-model", model.upstreamModel],
  ];
  if (sent.retries > 0) headers.push(["x-opencode-retries", String(sent.retries)]);
  if (sent.fallback) headers.push(["x-opencode-fallback", sent.fallback]);
  return headers;
}
