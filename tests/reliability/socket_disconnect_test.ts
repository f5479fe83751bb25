// Over real sockets, for every upstream family and every client format: a client that hangs up closes the
// gateway's upstream connection within a bounded time, whether the upstream had sent data or only headers
// (the Gemini path used to leave that one open).
import * as assert from "node:assert/strict";
import {
  clientFormats,
  clientRequest,
  eventually,
  families,
  familyModels,
  familyOf,
  firstFrames,
  isCatalogRequest,
  notFound,
  startGatewayFor,
} from "../support/process_setup.ts";
import { type RawConnection, startRawUpstream, text } from "../support/raw_upstream.ts";

/** Generous for a loaded machine; over loopback the close takes a few milliseconds. */
const CLOSE_BOUND_MS = 2_000;

const cases = [
  { sent: "headers only", stream: true },
  { sent: "headers and a first frame", stream: true },
  { sent: "headers only", stream: false },
  { sent: "headers and a first frame", stream: false },
] as const;

for (const { sent, stream } of cases) {
  const mode = stream ? "stream" : "non-stream";
  Deno.test(`client disconnect closes the upstream connection, every family × client format (${mode}, ${sent})`, async (t) => {
    const upstream = startRawUpstream((request) => {
      if (isCatalogRequest(request)) return notFound;
      const frames = sent === "headers only" ? [] : [text(firstFrames(familyOf(request)))];
      return { body: frames, hold: true };
    });
    const gateway = await startGatewayFor(upstream, { IDLE_TIMEOUT_MS: "60000", PING_INTERVAL_MS: "60000" });
    try {
      for (const family of families) {
        for (const format of clientFormats) {
          await t.step(`${family} upstream, ${format} client`, async () => {
            const before = upstream.connections.length;
            const client = new AbortController();
            const pending = clientRequest(gateway.url, format, familyModels[family], {
              signal: client.signal,
              stream,
            });
            let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
            if (stream) {
              // A streaming client has its headers once the upstream's are in.
              const response = await pending;
              assert.equal(response.status, 200, await peek(response));
              reader = response.body!.getReader();
              if (sent !== "headers only") await reader.read();
            } else {
              pending.catch(() => {});
            }
            const connection = await waitForConnection(upstream.connections, before);
            // Let the upstream's headers (and frame) reach the gateway before the client leaves.
            await eventually(() => connection.written > 0 || sent === "headers only", 5_000);
            await new Promise((resolve) => setTimeout(resolve, 100));
            const abortedAt = performance.now();
            client.abort();
            await reader?.cancel().catch(() => {});
            const closed = await eventually(() => connection.closedAt !== undefined, CLOSE_BOUND_MS);
            assert.ok(closed, `upstream connection still open ${CLOSE_BOUND_MS} ms after the client left`);
            assert.ok(connection.closedAt! - abortedAt < CLOSE_BOUND_MS);
          });
        }
      }
      assert.equal(upstream.open(), 0, "no upstream connection left open");
    } finally {
      await gateway.stop();
      await upstream.close();
    }
  });
}

async function waitForConnection(connections: RawConnection[], before: number): Promise<RawConnection> {
  const found = await eventually(
    () => connections.slice(before).some((connection) => connection.request?.method === "POST"),
    10_000,
  );
  assert.ok(found, "the gateway never called the upstream");
  return connections.slice(before).find((connection) => connection.request?.method === "POST")!;
}

async function peek(response: Response): Promise<string> {
  if (response.status === 200) return "";
  return await response.text();
}
