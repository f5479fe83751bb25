/**
 * A hostile upstream on 127.0.0.1 port 0, written on raw TCP so a test sees exactly what a socket sees: when
 * the gateway's connection opens and when it closes, and bodies that no HTTP library would produce (a line
 * that never ends, an endless fast stream). Each answer is written lazily from a small buffer, so "hundreds of
 * MB" cost the test no memory. The body is close-delimited (`connection: close`, no length).
 */

export interface RawRequest {
  method: string;
  /** Path and query. */
  target: string;
  headers: Headers;
  body: string;
}

/** What the upstream does with one connection once the request is in. */
export interface RawAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Written in order; an async iterable may be endless (written until the gateway hangs up). */
  body?: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /** After the body: keep the connection open, silent, until the gateway closes it. */
  hold?: boolean;
}

export interface RawConnection {
  request?: RawRequest;
  openedAt: number;
  /** When the gateway closed its side (read EOF or a write failed). */
  closedAt?: number;
  /** Body bytes written. */
  written: number;
}

export interface RawUpstream {
  url: string;
  connections: RawConnection[];
  /** Connections the gateway has not closed yet. */
  open(): number;
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function startRawUpstream(answer: (request: RawRequest) => RawAnswer): RawUpstream {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connections: RawConnection[] = [];
  const sockets = new Set<Deno.Conn>();
  const serving = (async () => {
    for await (const conn of listener) {
      sockets.add(conn);
      const record: RawConnection = { openedAt: performance.now(), written: 0 };
      connections.push(record);
      serve(conn, record, answer).finally(() => {
        record.closedAt ??= performance.now();
        sockets.delete(conn);
        try {
          conn.close();
        } catch { /* already closed */ }
      });
    }
  })().catch(() => {});
  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    open: () => connections.filter((connection) => connection.closedAt === undefined).length,
    async close() {
      listener.close();
      for (const conn of sockets) {
        try {
          conn.close();
        } catch { /* already closed */ }
      }
      await serving;
    },
  };
}

async function serve(
  conn: Deno.Conn,
  record: RawConnection,
  answer: (request: RawRequest) => RawAnswer,
): Promise<void> {
  const reading = readRequest(conn);
  const request = await reading.request;
  if (!request) return;
  record.request = request;
  // From here on, a read that ends means the gateway closed its side.
  const closed = reading.untilClosed().then(() => {
    record.closedAt ??= performance.now();
  });
  const reply = answer(request);
  const head = [`HTTP/1.1 ${reply.status ?? 200} X`, "connection: close"];
  for (const [name, value] of Object.entries(reply.headers ?? { "content-type": "text/event-stream" })) {
    head.push(`${name}: ${value}`);
  }
  try {
    await writeAll(conn, encoder.encode(head.join("\r\n") + "\r\n\r\n"));
    for await (const chunk of reply.body ?? []) {
      if (record.closedAt !== undefined) return;
      await writeAll(conn, chunk);
      record.written += chunk.byteLength;
    }
    if (reply.hold) await closed;
  } catch {
    // A failed write: the gateway hung up.
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

/** Reads one request (headers and a content-length body); then `untilClosed` reads on until EOF. */
function readRequest(conn: Deno.Conn) {
  const buffer = new Uint8Array(64 * 1024);
  let pending: Uint8Array = new Uint8Array(0);
  const request = (async (): Promise<RawRequest | undefined> => {
    while (true) {
      const text = decoder.decode(pending);
      const end = text.indexOf("\r\n\r\n");
      if (end !== -1) {
        const [start, ...lines] = text.slice(0, end).split("\r\n");
        const [method, target] = start.split(" ");
        const headers = new Headers();
        for (const line of lines) {
          const colon = line.indexOf(":");
          if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
        }
        const length = Number(headers.get("content-length") ?? 0);
        const headBytes = encoder.encode(text.slice(0, end + 4)).length;
        while (pending.length - headBytes < length) {
          const n = await conn.read(buffer);
          if (n === null) return undefined;
          pending = join(pending, buffer.subarray(0, n));
        }
        return {
          method,
          target,
          headers,
          body: decoder.decode(pending.subarray(headBytes, headBytes + length)),
        };
      }
      const n = await conn.read(buffer);
      if (n === null) return undefined;
      pending = join(pending, buffer.subarray(0, n));
    }
  })();
  return {
    request,
    async untilClosed(): Promise<void> {
      try {
        while ((await conn.read(buffer)) !== null) { /* discard */ }
      } catch { /* reset counts as closed */ }
    },
  };
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** `count` copies of `chunk`, produced one at a time (Infinity for an endless body). */
export async function* repeat(chunk: Uint8Array, count = Infinity): AsyncIterable<Uint8Array> {
  for (let index = 0; index < count; index++) {
    yield chunk;
    // Let the event loop breathe between writes, as a network would.
    if (index % 16 === 15) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

export function text(value: string): Uint8Array {
  return encoder.encode(value);
}
