/**
 * Replays the requests Claude Code 2.1.330 really sent (recorded under `shared/fixtures/claude-code/`, which
 * sits beside the repository) through the gateway to a strict fake upstream of every family, and checks each
 * one is accepted: gateway 200, no upstream 4xx, a well-formed Anthropic stream, and what each family's
 * translation must have removed or moved. The recordings are read at run time and never copied here.
 *
 * Each recorded line is `{seq, method, path, query, headers, body}`; the request is rebuilt with the recorded
 * method, path, query, headers (redacted credentials replaced by the test key) and body, with `model` swapped
 * for one of the family under test.
 *
 * The recorded histories carry thinking blocks signed by the recording server. The Anthropic family is replayed
 * twice: with those signatures in the envelope the gateway hands out for the model under test (a session that
 * stayed on it: each must reach the upstream restored, as it minted it), and raw, as another server signed them
 * (a session moved from a Zen `claude-*` model to MiniMax, or between MiniMax and Qwen: the thinking must be
 * dropped, not sent to a strict upstream that would answer ``400 Invalid `signature` in `thinking` block``).
 *
 * A case may carry `knownBug` for a gateway bug it still hits: it then checks the failure instead (none now).
 */
import assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import {
  anthropicSignatureOrigin,
  wrapAnthropicSignature,
} from "../../lib/formats/anthropic/thinking_signature.ts";
import { isGatewaySignature } from "../../lib/hub/signature.ts";
import { hubGrammarViolations, parseAnthropicSse } from "../support/check_hub_grammar.ts";
import { startFakeAnthropicUpstream } from "../support/fake_anthropic_upstream.ts";
import { fakeCatalog, type FakeModel } from "../support/fake_catalog.ts";
import { startFakeGeminiUpstream } from "../support/fake_gemini_upstream.ts";
import { startFakeResponsesUpstream } from "../support/fake_responses_upstream.ts";
import {
  byteChunks,
  dataFrames,
  type FakeUpstream,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { chatRequestProblem } from "./scripted_chat_upstream.ts";
import { CLAUDE_CODE_VERSION } from "./support.ts";

type Json = Record<string, unknown>;

const FIXTURES = new URL("../../../shared/fixtures/claude-code/", import.meta.url);
const TEST_KEY = "test-key";
const BILLING_PREFIX = "x-anthropic-billing-header:";
/** Transport headers of the recording server's connection; the rebuilt Request gets its own. */
const TRANSPORT_HEADERS = new Set(["host", "connection", "content-length"]);

interface RecordedLine {
  seq: number;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: Json | null;
}

interface FixtureFile {
  name: string;
  lines: RecordedLine[];
}

function loadFixtures(): FixtureFile[] | undefined {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(FIXTURES)];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile && entry.name.endsWith(".jsonl"))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      name,
      lines: Deno.readTextFileSync(new URL(name, FIXTURES))
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as RecordedLine),
    }));
}

// ---- the families under test ----------------------------------------------------------------------------------

interface StartedFake {
  upstream: FakeUpstream;
  /** One line per request the fake refused, for the fakes that say why (a 4xx also shows on the fetch). */
  rejections(): string[];
}

interface FamilyCase {
  family: Family;
  model: FakeModel;
  /** Extra words for the test name (a variant of the same family). */
  variant?: string;
  /** Only replays the recorded requests this returns true for. */
  applies?(recorded: Json): boolean;
  /** The body the client sends, from the recorded one (default: as recorded). */
  prepare?(recorded: Json): Json;
  /** Starts the strict fake for one replayed request. */
  start(recorded: Json): StartedFake;
  /** Family-specific problems with the upstream body (empty when it is as it should be). */
  invariants(body: Json, recorded: Json): string[];
  /**
   * A gateway bug this replay still hits: the case then checks that it fails this way (so a fix shows up as a
   * failing test to update) instead of checking that it is accepted.
   */
  knownBug?: { summary: string; gatewayError: RegExp };
}

function chatChunk(model: unknown, delta: Json, finish: string | null = null): Json {
  return {
    id: "chatcmpl-replay",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

const minimax: FakeModel = { id: "minimax-m2.7", family: "anthropic", interleavedField: null };
const MINIMAX_ORIGIN = anthropicSignatureOrigin({ service: "go", upstreamModel: minimax.id });

/** The recorded body as a client of this gateway holds it after a session on `origin`: signatures enveloped. */
function envelopedFor(origin: string): (recorded: Json) => Json {
  return (recorded) => ({
    ...recorded,
    messages: ((recorded.messages ?? []) as { content: unknown }[]).map((message) =>
      Array.isArray(message.content)
        ? {
          ...message,
          content: message.content.map((block: { type?: string; signature?: unknown }) =>
            block.type === "thinking" && typeof block.signature === "string" &&
              !isGatewaySignature(block.signature)
              ? { ...block, signature: wrapAnthropicSignature(block.signature, origin) }
              : block
          ),
        }
        : message
    ),
  });
}

/** Signatures of the thinking blocks in an upstream body. */
function thinkingSignaturesSent(body: Json): unknown[] {
  return ((body.messages ?? []) as { content: unknown }[])
    .flatMap((message) => Array.isArray(message.content) ? message.content : [])
    .filter((block: { type?: string }) => block.type === "thinking")
    .map((block: { signature?: unknown }) => block.signature);
}

/** The strict Anthropic-compatible fake, taking `adopted` as signatures it minted itself. */
function strictAnthropicFake(adopted: string[]): StartedFake {
  const fake = startFakeAnthropicUpstream();
  for (const signature of adopted) fake.signatures.add(signature);
  return {
    upstream: fake,
    rejections: () => fake.rejections.map((rejection) => `${rejection.status} ${rejection.message}`),
  };
}

function anthropicInvariants(body: Json, recorded: Json): string[] {
  const problems: string[] = [];
  const messages = (body.messages ?? []) as { role: string; content?: unknown }[];
  if (messages.some((message) => message.role === "system")) problems.push(`a role:"system" message`);
  const thinking = body.thinking as { type?: string } | undefined;
  if (thinking?.type === "adaptive") problems.push("thinking is still adaptive");
  for (const field of ["context_management", "output_config", "metadata"]) {
    if (field in body) problems.push(`body carries \`${field}\``);
  }
  const tools = (body.tools ?? []) as Json[];
  if (tools.some((tool) => "defer_loading" in tool || tool.name === deferredToolName(recorded))) {
    problems.push("the deferred placeholder tool reached the upstream");
  }
  const probe = environmentProbe(recorded);
  if (
    probe &&
    !messages.some((message) =>
      message.role === "user" && JSON.stringify(message.content).includes("<system-reminder>") &&
      JSON.stringify(message.content).includes(probe)
    )
  ) {
    problems.push(`Claude Code's role:"system" entry did not become a <system-reminder> in a user turn`);
  }
  return problems;
}

const families: FamilyCase[] = [
  {
    family: "openai-chat",
    model: { id: "kimi-k2.6", family: "openai-chat" },
    start() {
      const rejections: string[] = [];
      const upstream = startFakeUpstream((request) => {
        const problem = chatRequestProblem(request);
        if (problem) {
          rejections.push(`${problem.status} ${problem.message}`);
          return Response.json({ error: { message: problem.message, type: "invalid_request_error" } }, {
            status: problem.status,
          });
        }
        const model = (request.body as Json).model;
        return sseResponse(byteChunks(
          dataFrames([
            chatChunk(model, { role: "assistant", content: "" }),
            chatChunk(model, { reasoning_content: "Replaying." }),
            chatChunk(model, { content: "Done." }),
            chatChunk(model, {}, "stop"),
            {
              ...chatChunk(model, {}),
              choices: [],
              usage: { prompt_tokens: 1200, completion_tokens: 4, total_tokens: 1204 },
            },
          ]),
          29,
        ));
      });
      return { upstream, rejections: () => rejections };
    },
    invariants(body, recorded) {
      const problems: string[] = [];
      for (const field of ["system", "context_management", "output_config", "metadata"]) {
        if (field in body) problems.push(`body carries \`${field}\``);
      }
      const tools = (body.tools ?? []) as { function?: { name?: string; parameters?: unknown } }[];
      for (const tool of tools) {
        if (containsKey(tool.function?.parameters, "$schema")) {
          problems.push(`tool ${tool.function?.name} keeps $schema`);
        }
      }
      if (tools.some((tool) => tool.function?.name === deferredToolName(recorded))) {
        problems.push("the deferred placeholder tool reached the upstream");
      }
      const messages = (body.messages ?? []) as { role: string; content?: unknown }[];
      const probe = environmentProbe(recorded);
      if (
        probe &&
        !messages.some((message, index) =>
          index > 0 && message.role === "system" && JSON.stringify(message.content).includes(probe)
        )
      ) {
        problems.push(`Claude Code's role:"system" entry did not become a system message`);
      }
      return problems;
    },
  },
  {
    family: "anthropic",
    model: minimax,
    // The history's thinking came from this upstream, as when the whole session ran on this model: the fake
    // takes the recorded signatures as ones it minted, and the client holds them in the gateway's envelope.
    prepare: envelopedFor(MINIMAX_ORIGIN),
    start: (recorded) => strictAnthropicFake(foreignSignatures(recorded)),
    invariants(body, recorded) {
      const problems = anthropicInvariants(body, recorded);
      const sent = JSON.stringify(thinkingSignaturesSent(body));
      const minted = JSON.stringify(foreignSignatures(recorded));
      if (sent !== minted) {
        problems.push(`thinking signatures sent ${sent}, not the upstream's own ${minted}`);
      }
      return problems;
    },
  },
  {
    family: "anthropic",
    model: minimax,
    // Reviewers saw: such raw signatures were forwarded and the strict upstream answered 400 "Invalid
    // `signature` in `thinking` block". The fake now knows none of them: the thinking must not reach it.
    variant: "history thinking signed by another server",
    applies: (recorded) => foreignSignatures(recorded).length > 0,
    start: () => strictAnthropicFake([]),
    invariants(body, recorded) {
      const problems = anthropicInvariants(body, recorded);
      const sent = thinkingSignaturesSent(body);
      if (sent.length > 0) problems.push(`${sent.length} foreign thinking block(s) reached the upstream`);
      return problems;
    },
  },
  {
    family: "openai-responses",
    model: { id: "gpt-5.5", family: "openai-responses", service: "zen" },
    // Its refusals show as 4xx statuses on the gateway's fetch (see `recordingFetch`).
    start: () => ({
      upstream: startFakeResponsesUpstream(() => ({ text: "Done." }), {
        key: TEST_KEY,
      }),
      rejections: () => [],
    }),
    invariants(body, recorded) {
      const problems: string[] = [];
      if (typeof body.instructions !== "string" || body.instructions.trim() === "") {
        problems.push("no instructions");
      }
      if (body.store !== false) problems.push(`store is ${JSON.stringify(body.store)}, not false`);
      const probe = environmentProbe(recorded);
      const input = (body.input ?? []) as { role?: string; content?: unknown }[];
      if (
        probe &&
        !input.some((item) => item.role === "developer" && JSON.stringify(item.content).includes(probe))
      ) {
        problems.push(`Claude Code's role:"system" entry did not become a developer message`);
      }
      return problems;
    },
  },
  {
    family: "gemini",
    model: { id: "gemini-3.1-pro", family: "gemini", service: "zen" },
    start: () => ({
      upstream: startFakeGeminiUpstream(() => ({ thoughts: ["Replaying."], text: "Done." }), {
        key: TEST_KEY,
      }),
      rejections: () => [],
    }),
    invariants(body, recorded) {
      const problems: string[] = [];
      const declarations = ((body.tools ?? []) as { functionDeclarations?: Json[] }[])
        .flatMap((tool) => tool.functionDeclarations ?? []);
      for (const key of ["$schema", "additionalProperties"]) {
        if (containsKey(declarations, key)) problems.push(`functionDeclarations keep \`${key}\``);
      }
      const system = JSON.stringify((body.systemInstruction as Json | undefined)?.parts ?? []);
      if (system === "[]") problems.push("no systemInstruction");
      const probe = environmentProbe(recorded);
      if (probe && !system.includes(probe)) {
        problems.push(`Claude Code's role:"system" entry is not in systemInstruction`);
      }
      return problems;
    },
  },
];

// ---- helpers over bodies ------------------------------------------------------------------------------------

function containsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsKey(item, key));
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([name, inner]) => name === key || containsKey(inner, key));
}

/** The recorded `defer_loading` tool's name (Claude Code's placeholder), if any. */
function deferredToolName(recorded: Json): string | undefined {
  const tools = (recorded.tools ?? []) as { name?: string; defer_loading?: boolean }[];
  return tools.find((tool) => tool.defer_loading === true)?.name;
}

/** Signatures of the recorded thinking blocks the gateway did not mint (the recording server made them). */
function foreignSignatures(recorded: Json): string[] {
  const messages = (recorded.messages ?? []) as { content: unknown }[];
  return messages.flatMap((message) => Array.isArray(message.content) ? message.content : [])
    .filter((block: { type?: string; signature?: unknown }) =>
      block.type === "thinking" && typeof block.signature === "string" && !isGatewaySignature(block.signature)
    )
    .map((block: { signature: string }) => block.signature);
}

/**
 * The first 40 characters of the recorded `role:"system"` entry's text (Claude Code's environment block):
 * taken from the recording at run time, it must turn up wherever the family puts such entries.
 */
function environmentProbe(recorded: Json): string | undefined {
  const messages = (recorded.messages ?? []) as { role: string; content: unknown }[];
  const entry = messages.find((message) => message.role === "system");
  if (!entry) return undefined;
  const text = typeof entry.content === "string"
    ? entry.content
    : (entry.content as { type: string; text?: string }[]).find((block) => block.type === "text")?.text;
  // JSON-escaped, so it can be looked for in a serialised body.
  return text ? JSON.stringify(text.trim().slice(0, 40)).slice(1, -1) : undefined;
}

// ---- replay ---------------------------------------------------------------------------------------------------

function rebuildRequest(line: RecordedLine, model: string, recorded = line.body): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(line.headers)) {
    if (TRANSPORT_HEADERS.has(name.toLowerCase())) continue;
    if (value.startsWith("<redacted")) {
      headers.set(name, name.toLowerCase() === "authorization" ? `Bearer ${TEST_KEY}` : TEST_KEY);
    } else headers.set(name, value);
  }
  const body = recorded === null ? undefined : JSON.stringify({ ...recorded, model });
  return new Request(`http://127.0.0.1${line.path}${line.query}`, { method: line.method, headers, body });
}

interface UpstreamCall {
  url: string;
  status: number;
  headers: Headers;
  body: Json | undefined;
}

/** The gateway's fetch: the real one, recording each upstream call's status, headers and JSON body. */
function recordingFetch(calls: UpstreamCall[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const text = typeof init?.body === "string" ? init.body : undefined;
    let body: Json | undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch { /* not JSON */ }
    calls.push({
      url: String(input instanceof Request ? input.url : input),
      status: response.status,
      headers: new Headers(input instanceof Request ? input.headers : init?.headers),
      body,
    });
    return response;
  };
}

function caseName(fixture: FixtureFile, line: RecordedLine, family: FamilyCase): string {
  const variant = family.variant ? `, ${family.variant}` : "";
  const bug = family.knownBug ? ` [known gateway bug: ${family.knownBug.summary}]` : "";
  return `${fixture.name} #${line.seq} ${line.method} ${line.path} → ${family.family} (${family.model.id}${variant})${bug}`;
}

async function replay(fixture: FixtureFile, line: RecordedLine, family: FamilyCase): Promise<void> {
  const recorded = line.body ?? {};
  const fake = family.start(recorded);
  const calls: UpstreamCall[] = [];
  const catalog = fakeCatalog([family.model], { go: fake.upstream.url, zen: fake.upstream.url });
  const gateway = testGateway(testConfig(), { catalog, fetch: recordingFetch(calls) });
  try {
    const sent = line.body && family.prepare ? family.prepare(line.body) : line.body;
    const response = await gateway(rebuildRequest(line, family.model.id, sent));
    const text = await response.text();
    const report = () =>
      `${caseName(fixture, line, family)}\n  gateway ${response.status}: ${
        text.slice(0, 600)
      }\n  upstream calls: ${
        calls.map((call) => `${call.status} ${call.url}`).join(", ") || "(none)"
      }\n  rejections: ${fake.rejections().join(" | ") || "(none)"}`;
    if (family.knownBug) {
      assert(
        response.status !== 200,
        `this known bug no longer shows: the request is accepted. Remove \`knownBug\` from the case.\n${report()}`,
      );
      // The upstream refused it (the gateway forwarded the request) and the client gets that refusal.
      assert.deepEqual(
        calls.map((call) => call.status),
        [400],
        `it fails, but not the known way\n${report()}`,
      );
      assert.match(text, family.knownBug.gatewayError, `it fails, but not the known way\n${report()}`);
      return;
    }
    assert.equal(response.status, 200, report());
    if (line.path.endsWith("/count_tokens")) {
      const { input_tokens } = JSON.parse(text) as { input_tokens?: unknown };
      assert(
        typeof input_tokens === "number" && input_tokens > 0,
        `input_tokens ${input_tokens}\n${report()}`,
      );
      assert.equal(calls.length, 0, `count_tokens called the upstream\n${report()}`);
      return;
    }
    assert.equal(calls.length, 1, `expected exactly one upstream call\n${report()}`);
    const refused = calls.filter((call) => call.status >= 400);
    assert.deepEqual(refused, [], `the upstream refused the request\n${report()}`);
    assert.deepEqual(fake.rejections(), [], `the fake recorded rejections\n${report()}`);
    assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/, report());
    const events = parseAnthropicSse(text);
    assert.deepEqual(hubGrammarViolations(events), [], `malformed stream\n${report()}`);
    assert.equal(
      (events.at(-1) as { type?: string }).type,
      "message_stop",
      `stream ended in error\n${report()}`,
    );
    // One upstream session per Claude Code session: the id it sends is the one OpenCode sees.
    const session = line.headers["x-claude-code-session-id"];
    const upstreamSession = calls[0].headers.get("x-opencode-session") ?? "(none)";
    assert(
      session !== undefined && upstreamSession.endsWith(`-${session}`),
      `x-opencode-session ${upstreamSession} is not Claude Code's session ${session}\n${report()}`,
    );
    const upstreamBody = calls[0].body;
    assert(upstreamBody, `no JSON body reached the upstream\n${report()}`);
    const problems = family.invariants(upstreamBody, recorded);
    if (JSON.stringify(upstreamBody).includes(BILLING_PREFIX)) {
      problems.push("Claude Code's billing-header system block reached the upstream");
    }
    assert.deepEqual(problems, [], `upstream body\n${report()}`);
  } finally {
    await fake.upstream.close();
  }
}

// ---- registration ---------------------------------------------------------------------------------------------

const fixtures = loadFixtures();

if (!fixtures) {
  Deno.test({
    name:
      `Claude Code ${CLAUDE_CODE_VERSION} recorded requests replay through every family [skipped: shared/fixtures/claude-code/ is not beside the repository]`,
    ignore: true,
    fn() {},
  });
} else {
  assert(fixtures.length > 0, `no .jsonl recordings in ${FIXTURES.pathname}`);
  for (const fixture of fixtures) {
    for (const line of fixture.lines) {
      if (line.method === "HEAD" && line.path === "/api/hello") {
        Deno.test(`Claude Code ${CLAUDE_CODE_VERSION} replay: ${fixture.name} #${line.seq} HEAD /api/hello → 200`, async () => {
          const gateway = testGateway(testConfig(), {
            catalog: fakeCatalog([], { go: "http://127.0.0.1:9" }),
          });
          const response = await gateway(rebuildRequest(line, ""));
          await response.body?.cancel();
          assert.equal(response.status, 200);
        });
        continue;
      }
      for (const family of families) {
        if (family.applies && !family.applies(line.body ?? {})) continue;
        Deno.test(
          `Claude Code ${CLAUDE_CODE_VERSION} replay: ${caseName(fixture, line, family)}`,
          () => replay(fixture, line, family),
        );
      }
    }
  }
}
