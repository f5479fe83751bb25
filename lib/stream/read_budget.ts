/**
 * What one upstream body may make the gateway hold, checked on every read before the bytes reach a filter:
 * at most `maxEventBytes` since the last SSE event boundary (a blank line), so a line that never ends or one
 * giant event cannot grow a buffer without bound, and at most `maxTotalBytes` in all, for an answer that is
 * collected whole (a non-stream client) rather than passed on as it arrives.
 */
import { GatewayError } from "../errors/gateway_error.ts";

export interface ReadLimits {
  /** Bytes allowed since the last blank line (one SSE event, or one line). */
  maxEventBytes?: number;
  /** Bytes allowed in all (only for an answer collected in memory). */
  maxTotalBytes?: number;
  /** Who sent the body ("OpenCode Go (opencode.ai)"), for the message. */
  label?: string;
}

const LF = 10;
const CR = 13;

/** A checker for one body; `take` throws a 502 GatewayError once a limit is passed. */
export function readBudget(limits: ReadLimits): (chunk: Uint8Array) => void {
  const { maxEventBytes, maxTotalBytes } = limits;
  const who = limits.label ?? "The upstream";
  let total = 0;
  let sinceBoundary = 0;
  /** The bytes that ended the previous read, when they may be the first half of a blank line. */
  let tail: "" | "lf" | "lfcr" = "";
  return (chunk) => {
    total += chunk.byteLength;
    if (maxTotalBytes !== undefined && total > maxTotalBytes) {
      throw new GatewayError(
        "api_error",
        `${who} sent an answer larger than the gateway's limit of ${maxTotalBytes} bytes ` +
          `(UPSTREAM_ANSWER_LIMIT_BYTES); it was cut off`,
        { status: 502 },
      );
    }
    if (maxEventBytes === undefined) return;
    const boundary = lastBoundary(chunk, tail);
    sinceBoundary = boundary === -1 ? sinceBoundary + chunk.byteLength : chunk.byteLength - boundary;
    tail = endState(chunk, tail);
    if (sinceBoundary > maxEventBytes) {
      throw new GatewayError(
        "api_error",
        `${who} sent one event (or line) larger than the gateway's limit of ${maxEventBytes} bytes ` +
          `(UPSTREAM_EVENT_LIMIT_BYTES); the stream was cut off`,
        { status: 502 },
      );
    }
  };
}

/**
 * The offset just past the last blank line that ends in `chunk` (-1 if none), looking back from the end
 * only as far as the last line feed: each read is scanned at most once.
 */
function lastBoundary(chunk: Uint8Array, before: "" | "lf" | "lfcr"): number {
  let newline = chunk.lastIndexOf(LF);
  while (newline !== -1) {
    // Is the line this LF ends empty? Its previous byte is an LF (or CR after an LF).
    let previous = newline - 1;
    if (previous >= 0 && chunk[previous] === CR) previous--;
    if (previous >= 0 ? chunk[previous] === LF : startsBlank(before, newline)) return newline + 1;
    newline = previous < 0 ? -1 : chunk.lastIndexOf(LF, previous);
  }
  return -1;
}

/** The blank line began in the previous read: it ended in LF, or LF CR with this read's LF completing it. */
function startsBlank(before: "" | "lf" | "lfcr", newline: number): boolean {
  if (newline === 0) return before === "lf" || before === "lfcr";
  // newline === 1 and chunk[0] is CR
  return before === "lf";
}

function endState(chunk: Uint8Array, before: "" | "lf" | "lfcr"): "" | "lf" | "lfcr" {
  const n = chunk.length;
  if (n === 0) return before;
  if (chunk[n - 1] === LF) return "lf";
  if (chunk[n - 1] === CR && (n >= 2 ? chunk[n - 2] === LF : before === "lf")) return "lfcr";
  return "";
}
