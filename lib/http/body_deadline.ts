/**
 * A deadline for the client's request body, counted from the moment the request reached the gateway: a
 * client that trickles its body (slow loris) gets a 408 once BODY_READ_TIMEOUT_MS passes, and its body is
 * cancelled, instead of holding a handler and a buffer for ever. The deadline travels with the Request (like
 * the request log's record), so readers need no extra parameter. One timer per body, armed at its first read
 * and cleared at its end: a trickling client makes many reads, and a timer per read was the larger cost.
 */
import { GatewayError } from "../errors/gateway_error.ts";

interface Deadline {
  at: number;
  timeoutMs: number;
  /** Set once the deadline cut the body: the response then asks for the connection to be closed. */
  expired: boolean;
  /** Rejects when the deadline passes; created with the timer at the first read. */
  passed?: Promise<never>;
  timer?: ReturnType<typeof setTimeout>;
}

const deadlines = new WeakMap<Request, Deadline>();

export function setBodyDeadline(request: Request, timeoutMs: number): void {
  deadlines.set(request, { at: performance.now() + timeoutMs, timeoutMs, expired: false });
}

/** The body was cut by its deadline: the response should close the connection. */
export function bodyDeadlineExpired(request: Request): boolean {
  return deadlines.get(request)?.expired ?? false;
}

/** One read of the request body, failing with a 408 (and cancelling the body) once the deadline passes. */
export async function readBeforeDeadline(
  request: Request,
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  const deadline = deadlines.get(request);
  if (!deadline) return await reader.read();
  if (deadline.expired) throw timeoutError(deadline.timeoutMs);
  deadline.passed ??= arm(deadline, reader);
  const result = await Promise.race([reader.read(), deadline.passed]);
  // Cancelling settles the pending read as done; that must not pass for the body's end.
  if (deadline.expired) throw timeoutError(deadline.timeoutMs);
  if (result.done) clearTimeout(deadline.timer);
  return result;
}

function arm(deadline: Deadline, reader: ReadableStreamDefaultReader<Uint8Array>): Promise<never> {
  const passed = new Promise<never>((_, reject) => {
    deadline.timer = setTimeout(() => {
      deadline.expired = true;
      reject(timeoutError(deadline.timeoutMs));
      reader.cancel().catch(() => {});
    }, Math.max(0, deadline.at - performance.now()));
  });
  // A reader that stopped early (a 413) leaves nobody racing this promise.
  passed.catch(() => {});
  return passed;
}

function timeoutError(timeoutMs: number): GatewayError {
  return new GatewayError(
    "invalid_request_error",
    `Request body was not received within ${timeoutMs} ms (BODY_READ_TIMEOUT_MS)`,
    { status: 408 },
  );
}
