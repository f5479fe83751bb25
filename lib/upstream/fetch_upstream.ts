/** Sends one upstream request with the headers timeout; upstream HTTP errors become GatewayErrors. */
import { GatewayError, type GatewayErrorOptions } from "../errors/gateway_error.ts";
import { parseUpstreamError } from "../errors/upstream_error.ts";
import type { UpstreamRequest } from "../hub/wire_format.ts";
import {
  badBodyFault,
  connectFault,
  labelHttpError,
  redirectFault,
  requestSecrets,
  scrubUpstreamText,
  upstreamLabel,
} from "./upstream_fault.ts";

export interface FetchUpstreamOptions {
  fetch: typeof fetch;
  /** Aborts on client disconnect and total timeout. */
  signal: AbortSignal;
  /**
   * Until response headers arrive. CONNECT_TIMEOUT_MS for a streamed request (a streaming upstream answers
   * headers at once); a non-streamed one gets its headers only when generation is done, so the caller passes
   * a longer limit (see sendUpstream's `headersTimeoutMs`).
   */
  connectTimeoutMs: number;
  /**
   * How long an upstream error's body may take once its headers are in (default `connectTimeoutMs`). An error
   * answer is small and sent at once; without this limit a stalled one would hold the client until the total
   * timeout.
   */
  errorBodyTimeoutMs?: number;
  /** The service the request goes to ("go", "zen"), for messages that say which one failed. */
  service?: string;
  /** Keys beyond the request's own headers to scrub from upstream text (the configured and the client's). */
  secrets?: readonly (string | undefined)[];
}

/** The most of an upstream error body read for its message; the rest is cancelled. */
export const ERROR_BODY_CAP_BYTES = 64 * 1024;

/** How one attempt failed: what the retry policy and the request log need to know. */
export type UpstreamFailure = "connect" | "timeout" | "http" | "aborted";

/** A GatewayError that also says how the attempt failed and, for HTTP errors, the upstream's own status. */
export class UpstreamError extends GatewayError {
  override name = "UpstreamError";
  readonly failure: UpstreamFailure;
  readonly upstreamStatus?: number;

  constructor(
    error: GatewayError,
    failure: UpstreamFailure,
    upstreamStatus?: number,
  ) {
    const options: GatewayErrorOptions = {
      status: error.status,
      retryAfter: error.retryAfter,
      param: error.param,
      upstreamType: error.upstreamType,
      cause: error.cause,
    };
    super(error.kind, error.message, options);
    this.failure = failure;
    this.upstreamStatus = upstreamStatus;
  }
}

export async function fetchUpstream(
  request: UpstreamRequest,
  options: FetchUpstreamOptions,
): Promise<Response> {
  // One controller for the exchange's signal and the headers timeout (cheaper than AbortSignal.any). It stays
  // tied to the exchange after the headers arrive, so a client that leaves still aborts the body.
  const connect = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connect.abort(new DOMException("Upstream did not answer in time", "TimeoutError"));
  }, options.connectTimeoutMs);
  const exchange = options.signal;
  if (exchange.aborted) connect.abort(exchange.reason);
  else exchange.addEventListener("abort", () => connect.abort(exchange.reason), { once: true });
  let response: Response;
  try {
    response = await options.fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: connect.signal,
      // A followed redirect would carry the key to whatever host it names, past the x-upstream-url checks.
      redirect: "manual",
    });
  } catch (error) {
    throw attemptError(error, options, timedOut, upstreamLabel(options.service, request.url));
  } finally {
    clearTimeout(timer);
  }
  const label = upstreamLabel(options.service, request.url);
  if (response.status >= 300 && response.status < 400 || response.type === "opaqueredirect") {
    await response.body?.cancel().catch(() => {});
    throw new UpstreamError(redirectFault(label, response), "http", response.status);
  }
  if (!response.ok) {
    const text = scrubUpstreamText(
      await readErrorBody(response, options.errorBodyTimeoutMs ?? options.connectTimeoutMs, options.signal),
      requestSecrets(request.headers, options.secrets ?? []),
    );
    throw new UpstreamError(
      labelHttpError(label, response.status, parseUpstreamError(response.status, text, response.headers)),
      "http",
      response.status,
    );
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (/text\/html/i.test(contentType)) {
    await response.body?.cancel().catch(() => {});
    throw new UpstreamError(badBodyFault(label, contentType), "http", response.status);
  }
  if (!response.body) {
    throw new UpstreamError(
      new GatewayError("api_error", `${label} answered with no body`, { status: 502 }),
      "http",
      response.status,
    );
  }
  return response;
}

/**
 * Up to ERROR_BODY_CAP_BYTES of an error body. The body is cancelled (closing the connection) when the cap is
 * hit, `timeoutMs` passes or `signal` aborts; a body cut short in time is dropped (half a JSON envelope says
 * nothing), and the status is mapped regardless.
 */
async function readErrorBody(response: Response, timeoutMs: number, signal: AbortSignal): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  let stalled = false;
  // Cancelling resolves a pending read as done, so a stalled body ends the loop below.
  const stop = () => reader.cancel().catch(() => {});
  const timer = setTimeout(() => {
    stalled = true;
    stop();
  }, timeoutMs);
  signal.addEventListener("abort", stop, { once: true });
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  try {
    while (bytes < ERROR_BODY_CAP_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = value.subarray(0, ERROR_BODY_CAP_BYTES - bytes);
      bytes += chunk.byteLength;
      text += decoder.decode(chunk, { stream: true });
    }
    if (bytes >= ERROR_BODY_CAP_BYTES) stop();
  } catch {
    // A body that failed mid-way: keep what arrived.
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", stop);
  }
  return stalled ? "" : text + decoder.decode();
}

function attemptError(
  error: unknown,
  options: FetchUpstreamOptions,
  connectTimedOut: boolean,
  label: string,
): UpstreamError {
  if (options.signal.aborted) {
    // The shared signal is the client's disconnect or the total timeout: only the latter is worth a message.
    const reason = options.signal.reason;
    if (reason instanceof DOMException && reason.name === "TimeoutError") {
      return new UpstreamError(
        new GatewayError("timeout_error", "Request exceeded the gateway's total time limit", {
          cause: error,
        }),
        "timeout",
      );
    }
    return new UpstreamError(
      new GatewayError("api_error", "Client closed the request", { cause: error }),
      "aborted",
    );
  }
  if (connectTimedOut) {
    return new UpstreamError(
      new GatewayError("timeout_error", `${label} did not answer within ${options.connectTimeoutMs} ms`),
      "timeout",
    );
  }
  return new UpstreamError(connectFault(label, error), "connect");
}
