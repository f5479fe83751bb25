/** Sends one upstream request with the connect/first-byte timeout; upstream HTTP errors become GatewayErrors. */
import { GatewayError, type GatewayErrorOptions } from "../errors/gateway_error.ts";
import { parseUpstreamError } from "../errors/upstream_error.ts";
import type { UpstreamRequest } from "../formats/wire_format.ts";

export interface FetchUpstreamOptions {
  fetch: typeof fetch;
  /** Aborts on client disconnect and total timeout. */
  signal: AbortSignal;
  /** Until response headers arrive. */
  connectTimeoutMs: number;
}

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
  const connect = new AbortController();
  const timer = setTimeout(
    () => connect.abort(new DOMException("Upstream did not answer in time", "TimeoutError")),
    options.connectTimeoutMs,
  );
  let response: Response;
  try {
    response = await options.fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.any([options.signal, connect.signal]),
    });
  } catch (error) {
    throw attemptError(error, options, connect.signal.aborted);
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw new UpstreamError(
      parseUpstreamError(response.status, text, response.headers),
      "http",
      response.status,
    );
  }
  if (!response.body) {
    throw new UpstreamError(
      new GatewayError("api_error", "Upstream returned no body"),
      "http",
      response.status,
    );
  }
  return response;
}

function attemptError(
  error: unknown,
  options: FetchUpstreamOptions,
  connectTimedOut: boolean,
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
      new GatewayError("timeout_error", `Upstream did not answer within ${options.connectTimeoutMs} ms`),
      "timeout",
    );
  }
  return new UpstreamError(
    new GatewayError("api_error", `Upstream connection failed: ${(error as Error)?.message ?? error}`, {
      cause: error,
    }),
    "connect",
  );
}
