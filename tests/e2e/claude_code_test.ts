/**
 * End to end: the pinned Claude Code CLI, pointed at the gateway with ANTHROPIC_BASE_URL, creates a file
 * through the `Write` tool while a scripted OpenCode upstream plays the model. Covers a chat-family model
 * (Kimi), the ANTHROPIC_DEFAULT_*_MODEL aliases, and a messages-family model (MiniMax) behind a strict fake.
 */
import assert from "node:assert/strict";
import type { Catalog } from "../../lib/catalog/types.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog, type FakeModel } from "../support/fake_catalog.ts";
import { startFakeAnthropicUpstream, writeFileScript } from "../support/fake_anthropic_upstream.ts";
import { type RecordedRequest, serveGateway, startFakeUpstream } from "../support/fake_upstream.ts";
import { scriptedChatUpstream, WRITTEN_CONTENT } from "./scripted_chat_upstream.ts";
import {
  aliasingCatalog,
  assertClaudeCodeRuns,
  CLAUDE_CODE_VERSION,
  claudeCodeEnvironment,
  type CliRun,
  describeRun,
  type E2eUpstream,
  findClaudeCode,
  runClaudeCode,
  skipSuffix,
} from "./support.ts";

const binary = findClaudeCode();
const skipped = skipSuffix(binary);
const CLI_TIMEOUT_MS = 120_000;

const models: FakeModel[] = [
  { id: "kimi-k2.6", family: "openai-chat" },
  { id: "glm-5.1", family: "openai-chat" },
  { id: "minimax-m2.7", family: "anthropic", interleavedField: null },
];

interface Scenario {
  /** Starts the fake upstream that plays the model; it must make the CLI write `filePath`. */
  upstream: (filePath: string) => E2eUpstream;
  args: string[];
  env?: Record<string, string>;
  /** Wraps the catalog (alias fallback for the CLI's built-in haiku id) and records every name it resolves. */
  catalog: (catalog: Catalog, requested: string[]) => Catalog;
}

interface Outcome {
  run: CliRun;
  requests: RecordedRequest[];
  /** One line per request the upstream refused (a passing run has none). */
  rejections: string[];
  /** Every model name the gateway was asked to resolve. */
  requested: string[];
  written: string | undefined;
  report: string;
}

async function runScenario(scenario: Scenario): Promise<Outcome> {
  await assertClaudeCodeRuns(binary!);
  const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
  const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
  const filePath = `${project}/hello.txt`;
  const fake = scenario.upstream(filePath);
  const requested: string[] = [];
  const catalog = scenario.catalog(fakeCatalog(models, { go: fake.url }), requested);
  const handler = testGateway(testConfig(), { catalog });
  const gatewayCalls: string[] = [];
  const gateway = serveGateway(async (request) => {
    const response = await handler(request);
    const url = new URL(request.url);
    gatewayCalls.push(`${request.method} ${url.pathname}${url.search} → ${response.status}`);
    return response;
  });
  try {
    const run = await runClaudeCode({
      binary: binary!,
      args: [
        "-p",
        `Create the file ${filePath} containing the line: hello from opencode-bridge`,
        ...scenario.args,
      ],
      cwd: project,
      env: claudeCodeEnvironment(home, gateway.url, scenario.env),
      timeoutMs: CLI_TIMEOUT_MS,
    });
    const written = await Deno.readTextFile(filePath).catch(() => undefined);
    const report = [
      describeRun(run, fake.requests, fake.statuses),
      `--- upstream rejections ---\n${fake.rejections().join("\n") || "  (none)"}`,
      `--- models the gateway resolved ---\n  ${requested.join(", ") || "(none)"}`,
      `--- what Claude Code sent the gateway ---\n  ${gatewayCalls.join("\n  ") || "(nothing)"}`,
    ].join("\n");
    // E2E_REPORT=1 prints the report for passing runs too (what Claude Code sent, what came back).
    if (Deno.env.get("E2E_REPORT") === "1") console.log(report);
    return { run, requests: [...fake.requests], rejections: fake.rejections(), requested, written, report };
  } finally {
    await gateway.close();
    await fake.close();
    await Deno.remove(home, { recursive: true }).catch(() => {});
    await Deno.remove(project, { recursive: true }).catch(() => {});
  }
}

/** What every scenario must show: the file written, a clean exit, no upstream 4xx, one stable session. */
function assertWroteFile(outcome: Outcome): void {
  const { run, requests, rejections, report } = outcome;
  assert(!run.timedOut, `Claude Code did not finish within ${CLI_TIMEOUT_MS} ms\n${report}`);
  assert.deepEqual(rejections, [], `the upstream rejected requests\n${report}`);
  assert.deepEqual(outcome.written, WRITTEN_CONTENT, `hello.txt is missing or wrong\n${report}`);
  assert.deepEqual(run.code, 0, `Claude Code failed\n${report}`);
  assert(requests.length >= 2, `expected a tool round trip (two upstream calls)\n${report}`);
  const sessions = new Set(requests.map((request) => request.headers.get("x-opencode-session")));
  assert(!sessions.has(null), `an upstream request had no x-opencode-session\n${report}`);
  assert.deepEqual(sessions.size, 1, `x-opencode-session changed within one Claude Code session\n${report}`);
}

function bodyOf(request: RecordedRequest): Record<string, unknown> {
  return request.body as Record<string, unknown>;
}

function toolNames(request: RecordedRequest, nameOf: (tool: Record<string, unknown>) => unknown): unknown[] {
  const tools = bodyOf(request).tools;
  return Array.isArray(tools) ? tools.map(nameOf) : [];
}

/** OpenCode Go's chat-completions route with Kimi's strictness (scripted_chat_upstream.ts). */
function chatUpstream(filePath: string): E2eUpstream {
  const scripted = scriptedChatUpstream(filePath);
  const fake = startFakeUpstream(scripted.handler);
  return {
    url: fake.url,
    requests: fake.requests,
    statuses: scripted.statuses,
    close: () => fake.close(),
    rejections: () => scripted.rejections,
  };
}

/** OpenCode Go's /messages route for MiniMax: the shared strict fake, which 400s on every Anthropic extra. */
function strictAnthropicUpstream(filePath: string): E2eUpstream {
  const fake = startFakeAnthropicUpstream({ script: writeFileScript(filePath, WRITTEN_CONTENT) });
  return {
    url: fake.url,
    requests: fake.requests,
    close: () => fake.close(),
    rejections: () => fake.rejections.map((rejection) => `${rejection.status} ${rejection.message}`),
  };
}

const chatToolName = (tool: Record<string, unknown>) =>
  (tool.function as { name?: string } | undefined)?.name;

Deno.test({
  name:
    `Claude Code ${CLAUDE_CODE_VERSION} writes a file through a chat-family model (--model kimi-k2.6)${skipped}`,
  ignore: !binary,
  async fn() {
    const outcome = await runScenario({
      upstream: chatUpstream,
      args: ["--permission-mode", "acceptEdits", "--model", "kimi-k2.6"],
      catalog: (catalog, requested) => aliasingCatalog(catalog, "kimi-k2.6", requested),
    });
    assertWroteFile(outcome);
    const { requests, report } = outcome;
    const main = requests.filter((request) => toolNames(request, chatToolName).includes("Write"));
    assert(main.length >= 2, `expected two main-model calls carrying the Write tool\n${report}`);
    for (const request of main) {
      assert.deepEqual(request.path, "/chat/completions", report);
      assert.deepEqual(bodyOf(request).model, "kimi-k2.6", report);
      assert.deepEqual(request.headers.get("authorization"), "Bearer test-key", report);
    }
    const followUp = bodyOf(main.at(-1)!).messages as {
      role: string;
      tool_call_id?: string;
      content?: unknown;
    }[];
    const toolMessage = followUp.find((message) => message.role === "tool");
    assert.deepEqual(
      toolMessage?.tool_call_id,
      "call_e2e_write",
      `the tool result did not come back\n${report}`,
    );
  },
});

Deno.test({
  name:
    `Claude Code ${CLAUDE_CODE_VERSION} routes its opus/sonnet/haiku aliases through ANTHROPIC_DEFAULT_*_MODEL${skipped}`,
  ignore: !binary,
  async fn() {
    const outcome = await runScenario({
      upstream: chatUpstream,
      args: ["--permission-mode", "acceptEdits", "--model", "sonnet"],
      env: {
        ANTHROPIC_DEFAULT_OPUS_MODEL: "kimi-k2.6",
        ANTHROPIC_DEFAULT_SONNET_MODEL: "kimi-k2.6",
        ANTHROPIC_DEFAULT_HAIKU_MODEL: "glm-5.1",
      },
      // No alias fallback: every name Claude Code sends must already be an OpenCode model.
      catalog: (catalog, requested) => ({
        resolve: (name, options) => (requested.push(name), catalog.resolve(name, options)),
        list: (options) => catalog.list(options),
      }),
    });
    assertWroteFile(outcome);
    const unexpected = outcome.requested.filter((name) => name !== "kimi-k2.6" && name !== "glm-5.1");
    assert.deepEqual(unexpected, [], `Claude Code sent model names outside the aliases\n${outcome.report}`);
    assert(
      outcome.requested.includes("kimi-k2.6"),
      `--model sonnet did not become kimi-k2.6\n${outcome.report}`,
    );
  },
});

Deno.test({
  name:
    `Claude Code ${CLAUDE_CODE_VERSION} writes a file through a messages-family model (--model minimax-m2.7)${skipped}`,
  ignore: !binary,
  async fn() {
    const outcome = await runScenario({
      upstream: strictAnthropicUpstream,
      args: ["--permission-mode", "acceptEdits", "--model", "minimax-m2.7"],
      catalog: (catalog, requested) => aliasingCatalog(catalog, "minimax-m2.7", requested),
    });
    assertWroteFile(outcome);
    const { requests, report } = outcome;
    const main = requests.filter((request) => toolNames(request, (tool) => tool.name).includes("Write"));
    assert(main.length >= 2, `expected two main-model calls carrying the Write tool\n${report}`);
    for (const request of main) {
      assert.deepEqual(request.path, "/messages", report);
      assert.deepEqual(bodyOf(request).model, "minimax-m2.7", report);
    }
  },
});
