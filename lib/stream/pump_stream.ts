/**
 * The one stream-timing mechanism: an upstream body pulled one read at a time through a `StreamFilter`,
 * with ONE watchdog timer per stream (instead of timers per read, which measured as the largest per-read
 * cost). The watchdog pings while a read has been pending for `pingIntervalMs` and ends the stream after
 * `idleTimeoutMs` of silence; a broken connection ends it too, each time with the filter's terminal frame.
 * Cancelling the body (client gone) aborts the upstream fetch at once, even while a read is pending.
 */
import { type ErrorKind, GatewayError } from "../errors/gateway_error.ts";
import { type ChunkReader, chunkReader } from "./chunk_reader.ts";
import { concatBytes } from "./concat_bytes.ts";
import { RecentReads } from "./recent_reads.ts";
import { readBudget, type ReadLimits } from "./read_budget.ts";

/** One stream's translation: upstream reads in, client bytes out (undefined when a read yields nothing). */
export interface StreamFilter {
  /** The terminal frame went out: the stream is over. */
  readonly finished: boolean;
  /**
   * `push` neither keeps nor returns a view of its chunk (it copies what it keeps), so the pump may lend it a
   * read buffer that the next read reuses; otherwise each read is copied for it.
   */
  readonly copiesInput?: boolean;
  push(chunk: Uint8Array): Uint8Array | undefined;
  /** The upstream closed: whatever is left, then a cut-stream error unless the message finished. */
  end(): Uint8Array | undefined;
  /** A fault outside the stream's own events (idle upstream, broken connection) as the terminal frame. */
  fail(kind: ErrorKind, message: string): Uint8Array;
  /** Keep-alive while the upstream is silent (Claude Code aborts after 300 s without a byte). */
  ping(): Uint8Array;
}

export interface PumpOptions {
  idleTimeoutMs: number;
  pingIntervalMs: number;
  /** Aborted when the client cancels the body, which ends the upstream fetch. */
  abort: AbortController;
  /** Runs exactly once when the body ends for any reason: closed, failed or cancelled. */
  onEnd?: () => void;
  /** What one body may make the gateway hold (one event; all of it when collected). */
  limits?: ReadLimits;
  /**
   * Sees the reads at the end of the stream, where OpenCode puts its cost frame: the read that held the
   * terminal frame and every read after it (the client's body is closed by then; the upstream is read on for
   * at most `tailMs`), or the last two reads of an upstream that closed before the filter finished.
   */
  tail?: (chunk: Uint8Array) => void;
  /** How long to keep reading after the terminal frame for `tail`; 2000 ms by default. */
  tailMs?: number;
}

/** A read failure as the terminal error: the total time limit, or a lost connection. */
export function readFailure(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return new GatewayError("timeout_error", "Request exceeded the gateway's total time limit");
  }
  return new GatewayError("api_error", `Upstream connection lost: ${(error as Error)?.message ?? error}`);
}

export function pumpStream(
  body: ReadableStream<Uint8Array>,
  filter: StreamFilter,
  options: PumpOptions,
): ReadableStream<Uint8Array> {
  const { idleTimeoutMs, pingIntervalMs } = options;
  const reader = chunkReader(body);
  const take = options.limits ? readBudget(options.limits) : undefined;
  let controller: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let idle = false;
  /** When the pending upstream read started (undefined while none is pending), and the last ping after it. */
  let readSince: number | undefined;
  let quietSince = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The two latest upstream reads, for `tail` when the upstream closes. */
  const lastReads = new RecentReads();
  /** Reads reach the filter as views into the reader's reused buffer (else each is copied for it). */
  const lent = reader.lends && filter.copiesInput === true;

  const stop = () => {
    closed = true;
    clearTimeout(timer);
    reader.cancel().catch(() => {});
    options.onEnd?.();
  };
  const watchdog = () => {
    timer = undefined;
    if (closed) return;
    const now = performance.now();
    if (readSince !== undefined && now - readSince >= idleTimeoutMs) {
      idle = true;
      reader.cancel().catch(() => {}); // settles the pending read as done
      return;
    }
    if (readSince !== undefined && now - quietSince >= pingIntervalMs) {
      controller.enqueue(filter.ping());
      quietSince = now;
    }
    const idleAt = (readSince ?? now) + idleTimeoutMs;
    const pingAt = (readSince === undefined ? now : quietSince) + pingIntervalMs;
    timer = setTimeout(watchdog, Math.max(1, Math.min(idleAt, pingAt) - now));
  };
  const close = (last?: Uint8Array) => {
    if (closed) return;
    if (last) controller.enqueue(last);
    stop();
    controller.close();
  };
  // The client's body ends at once; onEnd (the request log) waits for the upstream's trailing frames.
  const closeThenDrain = (last: Uint8Array | undefined, tail: (chunk: Uint8Array) => void) => {
    if (last) controller.enqueue(last);
    closed = true;
    clearTimeout(timer);
    controller.close();
    drainTail(reader, tail, options.tailMs ?? 2_000).finally(() => {
      reader.cancel().catch(() => {});
      options.onEnd?.();
    });
  };

  return new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      timer = setTimeout(watchdog, Math.min(pingIntervalMs, idleTimeoutMs));
    },
    async pull() {
      // A pull must enqueue or close: the stream does not call it again for a read that produced nothing.
      while (!closed) {
        readSince = quietSince = performance.now();
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          if (closed) return;
          const failure = readFailure(error);
          close(filter.fail(failure.kind, failure.message));
          return;
        } finally {
          readSince = undefined;
        }
        if (closed) return;
        if (idle) {
          close(filter.fail("timeout_error", `Upstream sent nothing for ${idleTimeoutMs} ms`));
          return;
        }
        let out: Uint8Array | undefined;
        let chunk: Uint8Array;
        try {
          if (result.done) {
            if (options.tail) { for (const read of lastReads.take()) options.tail(read); }
            close(filter.end());
            return;
          }
          chunk = reader.lends && !lent ? result.value.slice() : result.value;
          take?.(chunk);
          if (options.tail) lastReads.note(chunk, lent);
          out = filter.push(chunk);
        } catch (error) {
          // A limit the body passed (a GatewayError) ends it with its own words; anything else is a gateway bug.
          close(
            error instanceof GatewayError
              ? filter.fail(error.kind, error.message)
              : filter.fail("api_error", `Internal gateway error: ${(error as Error)?.message ?? error}`),
          );
          return;
        }
        if (filter.finished) {
          options.tail?.(lent ? chunk.slice() : chunk);
          if (options.tail) closeThenDrain(out, options.tail);
          else close(out);
        } else if (out) {
          controller.enqueue(out);
          return;
        }
      }
    },
    cancel() {
      // Abort first: whoever watches the signal (the request log) learns the client left before onEnd runs.
      options.abort.abort();
      if (!closed) stop();
    },
  }, { highWaterMark: 0 });
}

/** Reads on until the upstream closes or `limitMs` passes, handing each read to `tail`; never throws. */
async function drainTail(
  reader: ChunkReader,
  tail: (chunk: Uint8Array) => void,
  limitMs: number,
): Promise<void> {
  const timer = setTimeout(() => reader.cancel().catch(() => {}), limitMs);
  try {
    for (let result = await reader.read(); !result.done; result = await reader.read()) {
      tail(reader.lends ? result.value.slice() : result.value);
    }
  } catch {
    // A connection cut after the terminal frame loses only the cost note.
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a stream to its end, discarding what it yields (a filter that collects is the point). */
export async function drainStream(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader();
  while (!(await reader.read()).done) { /* keep pulling */ }
}

const EMPTY = new Uint8Array(0);

/**
 * A whole non-stream body under the same watchdog (no pings: nobody is listening yet); an idle upstream or a
 * broken connection is thrown as a GatewayError.
 */
export async function readWholeBody(
  body: ReadableStream<Uint8Array>,
  options: Omit<PumpOptions, "pingIntervalMs">,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let finished = false;
  let failure: GatewayError | undefined;
  const filter: StreamFilter = {
    get finished() {
      return finished;
    },
    copiesInput: true,
    push(chunk) {
      // Copied: a read is a view into a buffer up to 8 times its size, which holding it would keep alive.
      chunks.push(chunk.slice());
      return undefined;
    },
    end() {
      finished = true;
      return undefined;
    },
    fail(kind, message) {
      finished = true;
      failure = new GatewayError(kind, message);
      return EMPTY;
    },
    ping: () => EMPTY,
  };
  await drainStream(pumpStream(body, filter, { ...options, pingIntervalMs: options.idleTimeoutMs }));
  if (failure) throw failure;
  return concatBytes(chunks);
}
