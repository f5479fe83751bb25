/**
 * End to end: the pinned Claude Code CLI's WebSearch on Zen's Claude, which runs web search itself (catalog
 * capability `serverTools`). The fake upstream plays Claude on Zen: given Anthropic's `web_search_20250305`
 * tool it streams what Anthropic streams — `server_tool_use`, `web_search_tool_result`, then text with a
 * `citations_delta` — and the gateway passes tool and blocks through untouched (no emulation, no search
 * backend configured). Claude Code counts the search, hands the main model the links and the cited text, and
 * the main model answers from them.
 */
import assert from "node:assert/strict";
import { type ClaudeEvent, claudeWebSearchEvents } from "../support/claude_web_search_events.ts";
import { COST_PING, frame } from "../support/fake_anthropic_upstream.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import {
  byteChunks,
  type RecordedRequest,
  serveGateway,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { anthropicReply, type ModelStep } from "../web/web_fakes.ts";
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

type Json = Record<string, unknown>;

const binary = findClaudeCode();
const skipped = skipSuffix(binary);
const MODEL = "claude-sonnet-4-6";
const FOUND = "https://deno.com/blog/v2.6";
const TITLE = "Deno 2.6 release notes";
const CITED = "Deno 2.6 adds a package manager UI";
const QUERY = "deno 2.6 release notes";

/** What Anthropic streams for one search: the call, its result, a cited sentence; usage counts the search. */
function searchEvents(model: string): ClaudeEvent[] {
  return claudeWebSearchEvents(model, {
    messageId: "msg_01ZenSearch",
    toolId: "srvtoolu_01ZenSearch",
    queryFragments: ["", JSON.stringify({ query: QUERY })],
    results: [{
      type: "web_search_result",
      url: FOUND,
      title: TITLE,
      encrypted_content: "EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5LTQ1NGUtODgxNC1kNjNjNTk1ZWI3Y2MSDBd7",
      page_age: "December 10, 2025",
    }],
    citation: {
      type: "web_search_result_location",
      url: FOUND,
      title: TITLE,
      encrypted_index: "EpcBCioIBxgCIiQ4ODk4YTFkYy0yMTNkLTQ2ZjEtYmZmOC1jZmY2MjJjMmJmNGIS",
      cited_text: `${CITED} and faster installs.`,
    },
    text: `${CITED}.`,
    usage: { input: 2100, firstOutput: 3, output: 52 },
  });
}

/** The main conversation: load WebSearch through ToolSearch if it is deferred, call it, answer from it. */
function mainStep(request: RecordedRequest): ModelStep {
  const body = JSON.stringify(request.body);
  const offers = (name: string) => body.includes(`"name":"${name}"`);
  if (offers("WebSearch")) {
    return body.includes(FOUND)
      ? { text: `SEARCH-DONE: the release post is ${FOUND}` }
      : { tool: "WebSearch", input: { query: QUERY } };
  }
  if (offers("ToolSearch") && !body.includes(FOUND)) {
    return { tool: "ToolSearch", input: { query: "select:WebSearch" } };
  }
  return { text: "ok" };
}

const isSearchTool = (tool: Json) => typeof tool.type === "string" && tool.type.startsWith("web_search_");

Deno.test({
  name:
    `Claude Code ${CLAUDE_CODE_VERSION} WebSearch on Zen's Claude: the model searches itself, blocks pass through${skipped}`,
  ignore: !binary,
  async fn() {
    await assertClaudeCodeRuns(binary!);
    const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
    const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
    const upstream = startFakeUpstream((request) => {
      const body = request.body as Json;
      if (((body.tools ?? []) as Json[]).some(isSearchTool)) {
        const text = searchEvents(String(body.model)).map(frame).join(
          "",
        );
        return sseResponse(byteChunks(text + COST_PING, 61));
      }
      return anthropicReply(mainStep(request));
    });
    const catalog = aliasingCatalog(
      fakeCatalog([{ id: MODEL, family: "anthropic", service: "zen" }], {
        go: upstream.url,
        zen: upstream.url,
      }),
      MODEL,
      [],
    );
    // No TAVILY_API_KEY, no SEARXNG_URL: an emulated search would fail, so a result proves the native path.
    const handler = testGateway(testConfig({}), { catalog });
    const sent: Json[] = [];
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
          MODEL,
          "--allowedTools",
          "WebSearch",
          "--output-format",
          "stream-json",
          "--verbose",
        ],
        cwd: project,
        env: claudeCodeEnvironment(home, gateway.url),
        timeoutMs: 180_000,
      });
      const report = describeRun(run, upstream.requests);
      assert(!run.timedOut, `Claude Code did not finish\n${report}`);
      assert.equal(run.code, 0, report);

      // The side request reached Claude on Zen with the server tool exactly as Claude Code sent it.
      const fromClient = sent.find((body) => ((body.tools ?? []) as Json[]).some(isSearchTool));
      assert(fromClient, `Claude Code sent no web_search_* server tool\n${report}`);
      const reached = upstream.requests.filter((request) =>
        (((request.body as Json).tools ?? []) as Json[]).some(isSearchTool)
      );
      assert.equal(reached.length, 1, report);
      const upstreamTools = (reached[0].body as Json).tools as Json[];
      assert.deepEqual(upstreamTools, fromClient.tools, report);
      assert.deepEqual(upstreamTools.find(isSearchTool), {
        type: "web_search_20250305",
        name: "web_search",
        max_uses: 8,
      }, report);
      // Not emulated: no request offered the model a web_search function instead.
      for (const request of upstream.requests) {
        const tools = ((request.body as Json).tools ?? []) as Json[];
        assert(!tools.some((tool) => tool.name === "web_search" && !isSearchTool(tool)), report);
      }

      // What Claude Code shows: WebSearch's result with one search, the link and the cited text.
      const lines = run.stdout.split("\n").filter((line) => line.startsWith("{")).map((line) =>
        JSON.parse(line)
      );
      const searchResult = lines
        .filter((line) => line.type === "user")
        .map((line) => line.tool_use_result)
        .find((result) => result && typeof result === "object" && "searchCount" in result);
      assert(searchResult, `no WebSearch tool result in the CLI's output\n${report}`);
      assert.equal(searchResult.query, QUERY, report);
      // "Did 1 search": the count Claude Code shows comes from the web_search_tool_result blocks it saw.
      assert.equal(searchResult.searchCount, 1, JSON.stringify(searchResult));
      const links = searchResult.results.flatMap((entry: Json | string) =>
        typeof entry === "object" && Array.isArray(entry.content) ? entry.content : []
      );
      assert.deepEqual(links, [{ title: TITLE, url: FOUND }], JSON.stringify(searchResult));
      assert(
        searchResult.results.some((entry: unknown) => String(entry).includes(CITED)),
        JSON.stringify(searchResult),
      );

      // The main model got the links and the cited text as WebSearch's tool_result, and answered from them.
      const final = JSON.stringify(upstream.requests.at(-1)!.body);
      assert.match(final, /deno\.com\/blog\/v2\.6/, report);
      assert(final.includes(CITED), report);
      const answer = lines.find((line) => line.type === "result");
      assert.match(String(answer?.result), /SEARCH-DONE/, report);
      // Claude's own usage.server_tool_use reached the CLI through the gateway.
      assert.equal(answer?.modelUsage?.[MODEL]?.webSearchRequests, 1, JSON.stringify(answer?.modelUsage));
    } finally {
      await gateway.close();
      await upstream.close();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(project, { recursive: true }).catch(() => {});
    }
  },
});
