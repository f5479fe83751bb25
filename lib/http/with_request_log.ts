/**
 * Wraps the gateway's dispatch: gives each request a record and a `req_…` id (returned as `request-id`),
 * turns anything a route let escape into a rendered 500, and writes the request's log line once the response,
 * streamed or not, is over.
 */
import type { Config } from "../config.ts";
import { clientKey } from "./auth.ts";
import type { Logger } from "../log/logger.ts";
import { attachRecord, newRequestId, type RequestRecord } from "../log/request_record.ts";

export type Handler = (request: Request) => Promise<Response>;

export interface RequestLogOptions {
  config: Pick<Config, "LOG_BODIES">;
  logger: Logger;
  /** The client-format error response for a failure that escaped the routes. */
  renderFailure: (error: unknown, request: Request) => Response;
}

export function withRequestLog(handler: Handler, options: RequestLogOptions): Handler {
  return async (request) => {
    const record: RequestRecord = {
      id: newRequestId(),
      method: request.method,
      path: new URL(request.url).pathname,
      startedAt: performance.now(),
      retries: 0,
      secrets: requestSecrets(request.headers),
    };
    if (options.config.LOG_BODIES) record.keepBodies = true;
    attachRecord(request, record);
    let response: Response;
    try {
      response = await handler(request);
    } catch (error) {
      options.logger.log("error", "Unhandled route failure", {
        request_id: record.id,
        error: error instanceof Error ? error.stack ?? error.message : String(error),
      });
      response = options.renderFailure(error, request);
    }
    response = withHeader(response, "request-id", record.id);
    record.status = response.status;
    if (request.signal.aborted) record.clientClosed = true;
    if (response.status >= 400 && !record.error) record.error = await errorOf(response);
    const done = record.streamDone;
    if (done) done.then(() => options.logger.request(record));
    else options.logger.request(record);
    return response;
  };
}

function requestSecrets(headers: Headers): string[] {
  const secrets = [clientKey(headers), headers.get("authorization"), headers.get("x-api-key")];
  return secrets.filter((value): value is string => typeof value === "string" && value.length > 0);
}

function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    // Immutable headers (a Response straight from fetch): copy them onto a new Response.
    const headers = new Headers(response.headers);
    headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

/** `{type, message}` from an Anthropic or OpenAI error envelope; the body is small, so a clone is cheap. */
async function errorOf(response: Response): Promise<RequestRecord["error"]> {
  if (!response.headers.get("content-type")?.includes("json")) return undefined;
  try {
    const body = await response.clone().json() as {
      error?: { type?: unknown; code?: unknown; message?: unknown };
    };
    const type = body.error?.code ?? body.error?.type;
    const message = body.error?.message;
    return typeof message === "string" ? { type: String(type ?? "error"), message } : undefined;
  } catch {
    return undefined;
  }
}
