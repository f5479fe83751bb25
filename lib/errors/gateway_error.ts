/** The one error type every failure becomes; rendered in the client's own format by render_error.ts. */
import { type ErrorKind, statusForKind } from "./error_status.ts";

// Most code reads the kind type with the class that carries it.
export type { ErrorKind };

export interface GatewayErrorOptions extends ErrorOptions {
  status?: number;
  /** Seconds, as the `retry-after` header carries it. */
  retryAfter?: string;
  /** Dotted path of the offending request field, for 400s. */
  param?: string;
  /** The upstream's own error class (OpenCode's `GoUsageLimitError`…), kept for logs and matching. */
  upstreamType?: string;
}

export class GatewayError extends Error {
  override name = "GatewayError";
  readonly kind: ErrorKind;
  readonly status: number;
  readonly retryAfter?: string;
  readonly param?: string;
  readonly upstreamType?: string;

  constructor(kind: ErrorKind, message: string, options: GatewayErrorOptions = {}) {
    super(message, options);
    this.kind = kind;
    this.status = options.status ?? statusForKind(kind);
    this.retryAfter = options.retryAfter;
    this.param = options.param;
    this.upstreamType = options.upstreamType;
  }
}

/** Any thrown value as a GatewayError; unknown failures are the gateway's own (500). */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return new GatewayError("timeout_error", "Upstream timed out", { cause: error });
  }
  return new GatewayError("api_error", "Internal gateway error", { status: 500, cause: error });
}

/** A 400 about one request field, named in `param` (the OpenAI SDKs show it). */
export function invalidRequest(message: string, param: string): GatewayError {
  return new GatewayError("invalid_request_error", message, { param });
}
