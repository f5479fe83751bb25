/**
 * End to end: the pinned Claude Code CLI's WebSearch tool through the gateway. Claude Code sends WebSearch as
 * a side request carrying Anthropic's `web_search_20250305` server tool (recorded here from what reaches the
 * gateway); the gateway offers the model a `web_search` function, searches a fake Tavily, and streams back
 * real `web_search_tool_result` blocks, so the CLI's tool result holds the links and the main model can use
 * them. Run on a chat-family and an Anthropic-format model.
 */
import assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { type RecordedRequest, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { type ModelStep, scriptedModel, startFakeTavily } from "../web/web_fakes.ts";
import {
  aliasingCatalog,
  assertClaudeCodeRuns,
  CLAUDE_CODE_VERSION,
  claudeCodeEnvironment,
  describeRun,
  findClaudeCode,
  runClaudeCode,
  skipSuffix,
} from "./support.ts";

const binary = findClaudeCode();
const skipped = skipSuffix(binary);
const CLI_TIMEOUT_MS = 180_000;
const FOUND = "https://deno.com/blog/v2.6";

/** The model: the main request calls WebSearch, the side request calls web_search, then both answer. */
function claudeCodeSteps(request: RecordedRequest): ModelStep {
  const body = JSON.stringify(request.body);
  const offers = (name: string) => body.includes(`"name":"${name}"`);
  if (offers("web_search") && !offers("WebSearch")) {
    return body.includes("Web search results for")
      ? { text: "Deno 2.6 is out. It adds a package manager UI [1]. See the release post." }
      : { tool: "web_search", query: "deno 2.6 release" };
  }
  if (offers("WebSearch")) {
    return body.includes(FOUND)
      ? { text: `SEARCH-DONE: the release post is ${FOUND}` }
      : { tool: "WebSearch", input: { query: "deno 2.6 release" } };
  }
  // WebSearch is a deferred tool in 2.1.330: a model loads its schema through ToolSearch first.
  if (offers("ToolSearch") && !body.includes(FOUND)) {
    return { tool: "ToolSearch", input: { query: "select:WebSearch" } };
  }
  return { text: "ok" };
}

async function runWebSearch(family: Family, model: string) {
  await assertClaudeCodeRuns(binary!);
  const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
  const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
  const upstream = scriptedModel(family, claudeCodeSteps);
  const tavily = startFakeTavily();
  const handler = testGateway(
    testConfig({ TAVILY_API_KEY: "tvly-test-key", TAVILY_BASE_URL: tavily.url }),
    { catalog: aliasingCatalog(fakeCatalog([{ id: model, family }], { go: upstream.url }), model, []) },
  );
  const sent: Record<string, unknown>[] = [];
  const gateway = serveGateway(async (request) => {
    if (request.method === "POST") sent.push(await request.clone().json().catch(() => ({})));
    return await handler(request);
  });
  try {
    const run = await runClaudeCode({
      binary: binary!,
      args: [
        "-p",
        "Search the web for the Deno 2.6 release notes",
        "--model",
        model,
        "--allowedTools",
        "WebSearch",
      ],
      cwd: project,
      env: claudeCodeEnvironment(home, gateway.url),
      timeoutMs: CLI_TIMEOUT_MS,
    });
    const report = describeRun(run, upstream.requests) + `\n--- tavily calls: ${tavily.requests.length}`;
    if (Deno.env.get("E2E_REPORT") === "1") {
      // What Claude Code sent for WebSearch (the system prompt left out).
      const side = sent.find((body) => JSON.stringify(body.tools ?? []).includes("web_search_"));
      console.log(report, JSON.stringify({ ...side, system: side?.system ? "(omitted)" : undefined }));
    }
    return { run, report, sent, upstream, tavily };
  } finally {
    await gateway.close();
    await upstream.close();
    await tavily.close();
    await Deno.remove(home, { recursive: true }).catch(() => {});
    await Deno.remove(project, { recursive: true }).catch(() => {});
  }
}

for (const [family, model] of [["openai-chat", "kimi-k2.6"], ["anthropic", "minimax-m2.7"]] as const) {
  Deno.test({
    name: `Claude Code ${CLAUDE_CODE_VERSION} WebSearch returns results through a ${family} model${skipped}`,
    ignore: !binary,
    async fn() {
      const { run, report, sent, upstream, tavily } = await runWebSearch(family, model);
      assert(!run.timedOut, `Claude Code did not finish\n${report}`);
      assert.equal(run.code, 0, report);
      // What Claude Code sends for WebSearch: a side request with Anthropic's server tool.
      const side = sent.find((body) =>
        (body.tools as { type?: string }[] | undefined)?.some((tool) => tool.type?.startsWith("web_search_"))
      );
      assert(side, `no request carried a web_search_* server tool\n${report}`);
      const tool = (side.tools as Record<string, unknown>[]).find((entry) => entry.name === "web_search")!;
      assert.equal(tool.type, "web_search_20250305", report);
      assert.equal(tool.max_uses, 8, report);
      assert.match(JSON.stringify(side.messages), /Perform a web search for the query/, report);
      assert.equal(tavily.requests.length, 1, report);
      // The main model received the search's links as WebSearch's result, and answered from them.
      const final = upstream.requests.at(-1)!;
      assert.match(JSON.stringify(final.body), /deno\.com\/blog\/v2\.6/, report);
      // The side answer came as text blocks, the cited sentence in its own with a citation and the [1] marker
      // gone; Claude Code joins them back into the text it hands the main model.
      assert.match(
        JSON.stringify(final.body),
        /Deno 2\.6 is out\. It adds a package manager UI\. See the release post\./,
        report,
      );
      assert.match(run.stdout, /SEARCH-DONE/, report);
      // No request reached the upstream with the server tool itself.
      for (const request of upstream.requests) {
        assert(!JSON.stringify(request.body).includes("web_search_20250305"), report);
      }
    },
  });
}
