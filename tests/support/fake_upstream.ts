/**
 * A scripted upstream on 127.0.0.1 port 0: records every request and answers from a handler. Helpers build
 * SSE bodies that arrive in deliberately tiny chunks (cut mid-character and mid-JSON).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose client went away before the response body was delivered in full. */
  aborted: number;
  close(): Promise<void>;
}

export type FakeHandler = (request: RecordedRequest, signal: AbortSignal) => Response | Promise<Response>;

export function startFakeUpstream(handler: FakeHandler): FakeUpstream {
  const requests: RecordedRequest[] = [];
  const state = { aborted: 0 };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const text = await request.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch { /* keep the raw text */ }
    const recorded = {
      method: request.method,
      path: new URL(request.url).pathname,
      headers: request.headers,
      body,
    };
    requests.push(recorded);
    // Deno's legacy request.signal also fires after a response was delivered in full, so an abort only
    // counts while the response body is still unfinished: that is a client (the gateway) going away.
    let delivered = false;
    request.signal.addEventListener("abort", () => {
      if (!delivered) state.aborted++;
    });
    const response = await handler(recorded, request.signal);
    if (!response.body) {
      delivered = true;
      return response;
    }
    const reader = response.body.getReader();
    const watched = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await reader.read();
        if (done) {
          delivered = true;
          controller.close();
        } else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(watched, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    get aborted() {
      return state.aborted;
    },
    close: () => server.shutdown(),
  };
}

const encoder = new TextEncoder();

/** Splits text into byte chunks of `size` bytes, cutting through multi-byte characters on purpose. */
export function byteChunks(text: string, size: number): Uint8Array[] {
  const bytes = encoder.encode(text);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.slice(offset, offset + size));
  return chunks;
}

/** An SSE response whose body is delivered chunk by chunk, yielding to the event loop between chunks. */
export function sseResponse(chunks: Uint8Array[], init: ResponseInit = {}): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index >= chunks.length) {
        controller.close();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
      controller.enqueue(chunks[index++]);
    },
  });
  return new Response(body, { ...init, headers: { "content-type": "text/event-stream", ...init.headers } });
}

/** `data: <json>\n\n` frames for OpenAI-style streams (no event lines). */
export function dataFrames(objects: unknown[], done = true): string {
  return objects.map((object) => `data: ${JSON.stringify(object)}\n\n`).join("") +
    (done ? "data: [DONE]\n\n" : "");
}

/** `event: <type>\ndata: <json>\n\n` frames for Anthropic- and Responses-style streams. */
export function namedFrames(objects: { type: string }[]): string {
  return objects.map((object) => `event: ${object.type}\ndata: ${JSON.stringify(object)}\n\n`).join("");
}

/** Serves a gateway handler on 127.0.0.1 port 0, so real SDK clients can talk to it. */
export function serveGateway(
  handler: (request: Request) => Promise<Response>,
): { url: string; close(): Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}
