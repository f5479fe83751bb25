/**
 * Reads an upstream body one chunk at a time, for `pumpStream`. A fetch body is a byte stream whose default
 * reader allocates a fresh 64 KiB buffer for every read, however small the chunk (an SSE event is ~100 bytes):
 * that garbage was most of the runtime's per-chunk cost (measured: 15.0 against 2.8 ms of CPU per 1000
 * chunks for a body drained either way, `deno run -A bench/load/plumbing.ts`). So a byte stream is read with a
 * BYOB reader into one buffer the stream reuses, and each read is copied out at its own size; the copy also
 * means nothing downstream can keep a large buffer alive. A body that is not a byte stream (one built in JS)
 * is read with the default reader.
 */

/** The reused buffer's size: the most one read can return (a larger event takes several reads). */
const READ_BUFFER_BYTES = 64 * 1024;

export interface ChunkReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Ends the body (and settles a pending read as done). */
  cancel(): Promise<void>;
}

export function chunkReader(body: ReadableStream<Uint8Array>): ChunkReader {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    return body.getReader(); // not a byte stream
  }
  let buffer: ArrayBuffer | undefined = new ArrayBuffer(READ_BUFFER_BYTES);
  return {
    async read() {
      // A read after the end (or after a cancel) finds no buffer to lend: the stream is done.
      if (!buffer) return { done: true, value: undefined };
      const result = await byob.read(new Uint8Array(buffer));
      // The buffer was transferred to the read; it comes back as the result's buffer.
      buffer = result.value?.buffer as ArrayBuffer | undefined;
      if (result.done) return { done: true, value: undefined };
      return { done: false, value: result.value.slice() };
    },
    cancel: () => byob.cancel(),
  };
}
