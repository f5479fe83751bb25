/**
 * Reads an upstream body one chunk at a time, for `pumpStream`. A fetch body is a byte stream whose default
 * reader allocates a fresh 64 KiB buffer for every read, however small the chunk (an SSE event is ~100 bytes):
 * that garbage was most of the runtime's per-chunk cost (measured: 15.0 against 2.8 ms of CPU per 1000
 * chunks for a body drained either way, `deno run -A bench/load/plumbing.ts`). So a byte stream is read with a
 * BYOB reader into one buffer the stream reuses: each read's bytes are then only lent, valid until the next
 * read (`lends`), and whoever keeps them copies them. A body that is not a byte stream (one built in JS) is
 * read with the default reader, whose chunks are the caller's to keep.
 */

/** The reused buffer's size: the most one read can return (a larger event takes several reads). */
const READ_BUFFER_BYTES = 64 * 1024;

export interface ChunkReader {
  /** Each read's bytes are a view into a buffer the next read reuses. */
  readonly lends: boolean;
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Ends the body (and settles a pending read as done). */
  cancel(): Promise<void>;
}

const DONE: ReadableStreamReadResult<Uint8Array> = { done: true, value: undefined };

export function chunkReader(body: ReadableStream<Uint8Array>): ChunkReader {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    const reader = body.getReader(); // not a byte stream
    return { lends: false, read: () => reader.read(), cancel: () => reader.cancel() };
  }
  let buffer: ArrayBuffer | undefined = new ArrayBuffer(READ_BUFFER_BYTES);
  return {
    lends: true,
    async read() {
      // A read after the end (or after a cancel) finds no buffer to lend: the stream is done.
      if (!buffer) return DONE;
      const result = await byob.read(new Uint8Array(buffer));
      // The buffer was transferred to the read; it comes back as the result's buffer.
      buffer = result.value?.buffer as ArrayBuffer | undefined;
      return result.done ? DONE : result as ReadableStreamReadResult<Uint8Array>;
    },
    cancel: () => byob.cancel(),
  };
}
