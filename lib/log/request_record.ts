/**
 * The per-request facts the log line reports. The gateway creates one per request and attaches it to the
 * Request object; routes and relay fill it in through `recordFor(request)`, so no signature has to change.
 */
import type { GatewayError } from "../errors/gateway_error.ts";
import type { Usage } from "../hub/schema.ts";
import type { UpstreamCall } from "../hub/wire_format.ts";

export interface RequestRecord {
  /** `req_…`, also sent back as the `request-id` response header. */
  id: string;
  method: string;
  path: string;
  /** Monotonic start time (performance.now()). */
  startedAt: number;
  /** Client-facing HTTP status. */
  status?: number;
  model?: string;
  upstreamModel?: string;
  family?: string;
  service?: string;
  stream?: boolean;
  /** Status of the upstream answer that was used (or the last failed one). */
  upstreamStatus?: number;
  /** Extra upstream attempts, fallbacks included. */
  retries: number;
  /** Model that answered instead of the requested one. */
  fallback?: string;
  usage?: Partial<Usage>;
  /** Terminal error, whether rendered as a response or as a stream `error` event. */
  error?: { type: string; message: string; upstreamType?: string };
  /** OpenCode's own price of the request in dollars (its cost frame or the answer's `cost`). */
  costUsd?: number;
  /** Milliseconds until the upstream's response headers arrived. */
  upstreamLatencyMs?: number;
  /** Set when the client went away before the exchange ended. */
  clientClosed?: boolean;
  /** Credentials seen on this request; scrubbed from everything logged. */
  secrets: string[];
  /** LOG_BODIES is on: readers of the request and response bodies keep a reference below. */
  keepBodies?: boolean;
  /** Only kept when LOG_BODIES is on. */
  requestBody?: unknown;
  responseBody?: unknown;
  /** Settles when a streamed body has ended or was cancelled; the log line waits for it. */
  streamDone?: Promise<void>;
}

const records = new WeakMap<Request, RequestRecord>();

export function newRequestId(): string {
  return `req_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

export function attachRecord(request: Request, record: RequestRecord): void {
  records.set(request, record);
}

/** The record of a request served by the gateway; undefined when a handler is called outside it (unit tests). */
export function recordFor(request: Request): RequestRecord | undefined {
  return records.get(request);
}

/** The model facts of the call about to be made (or that answered, after a fallback). */
export function noteCall(
  record: RequestRecord | undefined,
  requested: string,
  call: UpstreamCall,
  stream: boolean,
): void {
  if (!record) return;
  record.model = requested;
  record.upstreamModel = call.model.upstreamModel;
  record.family = call.model.family;
  record.service = call.model.service;
  record.stream = stream;
}

/** The error the client got; for the gateway's own failures ("Internal gateway error") the cause too. */
export function noteError(record: RequestRecord | undefined, error: GatewayError): void {
  if (!record) return;
  const cause = error.cause instanceof Error && error.message === "Internal gateway error"
    ? `: ${error.cause.name}: ${error.cause.message}`
    : "";
  record.error = { type: error.kind, message: `${error.message}${cause}` };
  if (error.upstreamType) record.error.upstreamType = error.upstreamType;
}
