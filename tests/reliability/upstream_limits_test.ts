// Hostile upstream bodies against the real server over sockets: a line that never ends, one 50 MB event, a
// 100 MB JSON answer, an endless fast stream to a non-stream client. Each ends with a clear 502 (or an error
// event once streaming has started) in the client's format; a concurrent request never waits more than
// 200 ms (measureStall), the gateway's RSS stays under RSS_BOUND, and the upstream connection is closed.
import * as assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import { type GatewayProcess, measureStall } from "../support/gateway_process.ts";
import {
  calmestRun,
  type ClientFormat,
  clientRequest,
  endlessText,
  eventually,
  families,
  familyModels,
  familyOf,
  isCatalogRequest,
  notFound,
  peakRss,
  settle,
  STALL_BOUND_MS,
  startGatewayFor,
} from "../support/process_setup.ts";
import {
  type RawAnswer,
  type RawRequest,
  type RawUpstream,
  repeat,
  startRawUpstream,
  text,
} from "../support/raw_upstream.ts";

const MiB = 1024 * 1024;
/** A streamed answer holds at most one event (UPSTREAM_EVENT_LIMIT_BYTES, 16 MiB) and the reads around it. */
const STREAMING_RSS_BOUND = 300 * MiB;
/** A collected answer holds up to UPSTREAM_ANSWER_LIMIT_BYTES (32 MiB) plus its decoded and parsed forms. */
const COLLECTED_RSS_BOUND = 400 * MiB;
const x64k = text("x".repeat(64 * 1024));

type Scenario = (request: RawRequest) => RawAnswer;

/** SSE `data:` that never reaches a newline: hundreds of MB if the gateway kept reading. */
const lineNeverEnds: Scenario = () => ({
  body: (async function* () {
    yield text('data: {"text":"');
    yield* repeat(x64k, (400 * MiB) / x64k.length);
  })(),
});

/** One 50 MB event (a single data line, then its blank line). */
const fiftyMbEvent: Scenario = () => ({
  body: (async function* () {
    yield text('data: {"text":"');
    yield* repeat(x64k, (50 * MiB) / x64k.length);
    yield text('"}\n\n');
  })(),
});

/** A 100 MB JSON answer to a non-stream request (the pass-through reads it whole). */
const hundredMbJson: Scenario = () => ({
  headers: { "content-type": "application/json" },
  body: (async function* () {
    yield text(
      '{"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"',
    );
    yield* repeat(x64k, (100 * MiB) / x64k.length);
    yield text('"},"finish_reason":"stop"}]}');
  })(),
});

/** Valid text deltas, for ever, as fast as the socket takes them. */
const endlessFastStream: Scenario = (request) => ({ body: endlessText(familyOf(request)) });

interface Case {
  name: string;
  scenario: Scenario;
  family: Family;
  format: ClientFormat;
  stream: boolean;
  /** Words the client must see. */
  expect: RegExp;
}

const cases: Case[] = [
  ...families.flatMap((family): Case[] => [
    {
      name: `SSE line that never ends, ${family} upstream, streaming Anthropic client`,
      scenario: lineNeverEnds,
      family,
      format: "anthropic",
      stream: true,
      expect: /UPSTREAM_EVENT_LIMIT_BYTES/,
    },
    {
      name: `SSE line that never ends, ${family} upstream, non-stream OpenAI chat client`,
      scenario: lineNeverEnds,
      family,
      format: "openai-chat",
      stream: false,
      expect: /UPSTREAM_EVENT_LIMIT_BYTES/,
    },
  ]),
  {
    name: "single 50 MB event, chat upstream, streaming OpenAI chat client (pass-through)",
    scenario: fiftyMbEvent,
    family: "openai-chat",
    format: "openai-chat",
    stream: true,
    expect: /UPSTREAM_EVENT_LIMIT_BYTES/,
  },
  {
    name: "single 50 MB event, responses upstream, streaming Responses client (pass-through)",
    scenario: fiftyMbEvent,
    family: "openai-responses",
    format: "openai-responses",
    stream: true,
    expect: /UPSTREAM_EVENT_LIMIT_BYTES/,
  },
  {
    name: "single 50 MB event, messages upstream, non-stream Anthropic client",
    scenario: fiftyMbEvent,
    family: "anthropic",
    format: "anthropic",
    stream: false,
    expect: /UPSTREAM_EVENT_LIMIT_BYTES/,
  },
  {
    name: "100 MB JSON answer, chat upstream, non-stream OpenAI chat client (pass-through)",
    scenario: hundredMbJson,
    family: "openai-chat",
    format: "openai-chat",
    stream: false,
    expect: /UPSTREAM_ANSWER_LIMIT_BYTES/,
  },
  ...families.map((family): Case => ({
    name: `endless fast stream, ${family} upstream, non-stream Anthropic client`,
    scenario: endlessFastStream,
    family,
    format: "anthropic",
    stream: false,
    expect: /UPSTREAM_ANSWER_LIMIT_BYTES/,
  })),
  {
    name: "endless fast stream, responses upstream, non-stream Responses client",
    scenario: endlessFastStream,
    family: "openai-responses",
    format: "openai-responses",
    stream: false,
    expect: /UPSTREAM_ANSWER_LIMIT_BYTES/,
  },
];

/** The limit a case must name: a non-stream pass-through reads one JSON document, which has no events. */
function expectedLimit(testCase: Case): RegExp {
  const passthroughJson = !testCase.stream && testCase.format !== "anthropic" &&
    testCase.format === testCase.family;
  return passthroughJson ? /UPSTREAM_ANSWER_LIMIT_BYTES/ : testCase.expect;
}

/**
 * Streaming cases share one gateway (each holds at most one capped event). A collected answer holds up to
 * UPSTREAM_ANSWER_LIMIT_BYTES and V8 keeps the heap it grew, so each of those runs in a fresh process and
 * its peak RSS is its own.
 */
for (const group of ["streaming", "collected"] as const) {
  Deno.test(`hostile upstream bodies (${group}) end in a clear 502 or error event, bounded memory, no stall`, async (t) => {
    let scenario: Scenario = lineNeverEnds;
    const upstream = startRawUpstream((request) => isCatalogRequest(request) ? notFound : scenario(request));
    let gateway: GatewayProcess | undefined;
    try {
      for (const testCase of cases.filter((candidate) => candidate.stream === (group === "streaming"))) {
        await t.step(testCase.name, async () => {
          if (!gateway || group === "collected") {
            await gateway?.stop();
            gateway = await startQuietGateway(upstream);
          }
          scenario = testCase.scenario;
          await runCase(
            testCase,
            gateway,
            upstream,
            group === "streaming" ? STREAMING_RSS_BOUND : COLLECTED_RSS_BOUND,
          );
        });
      }
    } finally {
      await gateway?.stop();
      await upstream.close();
    }
  });
}

/** A gateway past its startup work (catalog, tokenizer), so a stall is the case's own. */
async function startQuietGateway(upstream: RawUpstream): Promise<GatewayProcess> {
  const gateway = await startGatewayFor(upstream, { IDLE_TIMEOUT_MS: "60000", TOTAL_TIMEOUT_MS: "120000" });
  await settle(gateway);
  return gateway;
}

async function runCase(testCase: Case, gateway: GatewayProcess, upstream: RawUpstream, rssBound: number) {
  const run = await calmestRun(() => runOnce(testCase, gateway, upstream, rssBound));
  console.log(
    `${testCase.name}: ${run.status}, stall ${
      Math.round(run.stall.maxMs)
    } ms over ${run.stall.samples} probes ` +
      `(runs: ${run.runs.join(", ")} ms), RSS ${Math.round(run.idle / MiB)} → peak ${
        Math.round(run.peak / MiB)
      } ` +
      `MiB, upstream wrote ${Math.round(run.written / MiB)} MiB`,
  );
  assert.ok(
    run.stall.maxMs < STALL_BOUND_MS,
    `a concurrent request waited ${run.runs.join(", ")} ms in ${run.runs.length} runs`,
  );
}

/** One hostile exchange: everything but the stall bound is asserted on every run. */
async function runOnce(testCase: Case, gateway: GatewayProcess, upstream: RawUpstream, rssBound: number) {
  const before = upstream.connections.length;
  const idle = gateway.rssBytes();
  const { result, peak } = await peakRss(gateway.rssBytes, () =>
    measureStall(gateway.url, async () => {
      const response = await clientRequest(gateway.url, testCase.format, familyModels[testCase.family], {
        stream: testCase.stream,
      });
      return { status: response.status, body: await response.text() };
    }));
  const { status, body } = result.result;
  if (testCase.stream) {
    assert.equal(status, 200);
    assertStreamError(testCase.format, body);
  } else {
    assert.equal(status, 502, body.slice(0, 300));
    assertErrorEnvelope(testCase.format, body);
  }
  assert.match(body.slice(0, 2000), expectedLimit(testCase));
  assert.equal(result.stall.failures, 0);
  assert.ok(peak < rssBound, `RSS peaked at ${Math.round(peak / MiB)} MiB (bound ${rssBound / MiB} MiB)`);
  const connection = upstream.connections.slice(before).find((c) => c.request?.method === "POST");
  assert.ok(connection, "the upstream was called");
  assert.ok(await eventually(() => connection.closedAt !== undefined, 5_000), "upstream connection closed");
  // The gateway stopped reading near the limit, not at the end of the hostile body.
  assert.ok(connection.written < 100 * MiB, `upstream wrote ${Math.round(connection.written / MiB)} MiB`);
  return { stall: result.stall, status, idle, peak, written: connection.written };
}

function assertErrorEnvelope(format: ClientFormat, body: string): void {
  const json = JSON.parse(body);
  if (format === "anthropic") {
    assert.equal(json.type, "error");
    assert.equal(json.error.type, "api_error");
  } else {
    assert.equal(typeof json.error.message, "string");
    assert.equal(json.error.type, "server_error");
  }
}

function assertStreamError(format: ClientFormat, body: string): void {
  if (format === "anthropic") assert.match(body, /event: error\ndata: \{"type":"error"/);
  else if (format === "openai-chat") assert.match(body, /data: \{"error":\{/);
  else assert.match(body, /event: (response\.failed|error)\n/);
}
