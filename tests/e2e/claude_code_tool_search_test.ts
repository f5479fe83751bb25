/**
 * End to end: Claude Code's MCP tool search through the gateway to a chat-family model. With
 * ENABLE_TOOL_SEARCH=true the CLI defers the MCP server's tool (`defer_loading: true`), the model calls
 * ToolSearch, the CLI answers with a `tool_reference`, and the model then calls the loaded tool. Found: the
 * gateway answered the request holding the `tool_reference` with a 400, and Claude Code turned tool search off.
 */
import assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import {
  dataFrames,
  type RecordedRequest,
  serveGateway,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";
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
const TOOL = "mcp__notes__save_note";
const NOTE = "hello from tool search";
const serverScript = new URL("./notes_mcp_server.ts", import.meta.url).pathname;

type ChatBody = {
  tools?: { function?: { name?: string } }[];
  messages?: { role?: string; tool_call_id?: string; content?: unknown }[];
};

const encoder = new TextEncoder();

function toolCallReply(id: string, name: string, args: unknown): Response {
  return sseResponse([encoder.encode(dataFrames([
    {
      id: "c",
      choices: [{
        index: 0,
        delta: {
          role: "assistant",
          tool_calls: [{
            index: 0,
            id,
            type: "function",
            function: { name, arguments: JSON.stringify(args) },
          }],
        },
      }],
    },
    { id: "c", choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }], usage: { prompt_tokens: 9 } },
  ]))]);
}

function textReply(text: string): Response {
  return sseResponse([encoder.encode(dataFrames([
    { id: "c", choices: [{ index: 0, delta: { role: "assistant", content: text } }] },
    { id: "c", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { prompt_tokens: 9 } },
  ]))]);
}

/** Plays the model: search for the tool, call it once loaded, then finish. */
function play(request: RecordedRequest): Response {
  const body = request.body as ChatBody;
  const tools = (body.tools ?? []).map((tool) => tool.function?.name);
  const results = (body.messages ?? []).filter((message) => message.role === "tool");
  if (results.some((message) => message.tool_call_id === "call_save")) return textReply("Saved.");
  if (results.some((message) => message.tool_call_id === "call_search")) {
    return tools.includes(TOOL)
      ? toolCallReply("call_save", TOOL, { text: NOTE })
      : textReply(`the searched tool was not declared (tools: ${tools.join(", ")})`);
  }
  if (tools.includes("ToolSearch")) {
    return toolCallReply("call_search", "ToolSearch", { query: `select:${TOOL}`, max_results: 5 });
  }
  return textReply("ok");
}

Deno.test({
  name:
    `Claude Code ${CLAUDE_CODE_VERSION} loads a deferred MCP tool through ToolSearch on a chat model${skipped}`,
  ignore: !binary,
  async fn() {
    await assertClaudeCodeRuns(binary!);
    const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
    const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
    const notes = `${project}/notes.txt`;
    const mcpConfig = `${project}/mcp.json`;
    await Deno.writeTextFile(
      mcpConfig,
      JSON.stringify({
        mcpServers: {
          notes: {
            type: "stdio",
            command: Deno.execPath(),
            args: ["run", "--allow-env", `--allow-write=${notes}`, serverScript],
            env: { NOTES_FILE: notes, DENO_DIR: `${home}/.deno`, NO_COLOR: "1" },
          },
        },
      }),
    );
    const fake = startFakeUpstream(play);
    const requested: string[] = [];
    const catalog = aliasingCatalog(
      fakeCatalog([{ id: "kimi-k2.6", family: "openai-chat" }], { go: fake.url }),
      "kimi-k2.6",
      requested,
    );
    const gatewayCalls: string[] = [];
    const handler = testGateway(testConfig(), { catalog });
    const gateway = serveGateway(async (request) => {
      const response = await handler(request);
      gatewayCalls.push(`${request.method} ${new URL(request.url).pathname} → ${response.status}`);
      return response;
    });
    try {
      const run = await runClaudeCode({
        binary: binary!,
        args: [
          "-p",
          `Save a note that says: ${NOTE}`,
          "--model",
          "kimi-k2.6",
          "--mcp-config",
          mcpConfig,
          "--strict-mcp-config",
          "--allowedTools",
          `${TOOL},ToolSearch`,
        ],
        cwd: project,
        env: claudeCodeEnvironment(home, gateway.url, { ENABLE_TOOL_SEARCH: "true" }),
        timeoutMs: 120_000,
      });
      const report = `${describeRun(run, fake.requests)}\n--- gateway ---\n  ${gatewayCalls.join("\n  ")}`;
      if (Deno.env.get("E2E_REPORT") === "1") console.log(report);
      assert(!run.timedOut, `Claude Code did not finish\n${report}`);
      assert.deepEqual(
        gatewayCalls.filter((call) => !call.endsWith("→ 200")),
        [],
        `a request failed\n${report}`,
      );
      const written = await Deno.readTextFile(notes).catch(() => "");
      assert.equal(written, `${NOTE}\n`, `the MCP tool was not called\n${report}`);
      assert.equal(run.code, 0, report);
      // The deferred tool was hidden until the search loaded it, and the reference reached the model as text.
      const bodies = fake.requests.map((request) => request.body as ChatBody);
      const first = bodies.find((body) =>
        (body.tools ?? []).some((tool) => tool.function?.name === "ToolSearch")
      );
      assert.ok(first && !(first.tools ?? []).some((tool) => tool.function?.name === TOOL), report);
      const loaded = bodies.find((body) =>
        (body.messages ?? []).some((message) => message.tool_call_id === "call_search")
      );
      const searchResult = loaded?.messages?.find((message) => message.tool_call_id === "call_search");
      // Claude Code sent a `tool_reference` (not its `<functions>` text fallback): the gateway's wording.
      assert.match(
        JSON.stringify(searchResult?.content),
        new RegExp(`Tool ${TOOL} is loaded and can now be called`),
        `${JSON.stringify(searchResult)}\n${report}`,
      );
    } finally {
      await gateway.close();
      await fake.close();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(project, { recursive: true }).catch(() => {});
    }
  },
});
