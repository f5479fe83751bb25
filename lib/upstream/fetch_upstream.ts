/** Sends one upstream request with the connect/first-byte timeout; upstream HTTP errors become GatewayErrors. */
import { GatewayError } from "../errors/gateway_error.ts";
import { parseUpstreamError } from "../errors/upstream_error.ts";
import type { UpstreamRequest } from "../formats/wire_format.ts";

export interface FetchUpstreamOptions {
  fetch: typeof fetch;
  /** Aborts on client disconnect and total timeout. */
  signal: AbortSignal;
  /** Until response headers arrive. */
  connectTimeoutMs: number;
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
    if (options.signal.aborted) {
      throw new GatewayError("api_error", "Client closed the request", { cause: error });
    }
    if (connect.signal.aborted) {
      throw new GatewayError(
        "timeout_error",
        `Upstream did not answer within ${options.connectTimeoutMs} ms`,
      );
    }
    throw new GatewayError("api_error", `Upstream connection failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw parseUpstreamError(response.status, text, response.headers);
  }
  if (!response.body) throw new GatewayError("api_error", "Upstream returned no body");
  return response;
}
