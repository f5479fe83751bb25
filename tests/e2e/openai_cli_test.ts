/**
 * The Codex CLI (npm `@openai/codex`, Responses API) against the gateway, which translates to a fake
 * OpenCode Go chat upstream (Kimi-like): the upstream answers with an `exec_command` tool call that writes a
 * file, Codex runs it and sends the output back, the upstream ends the turn. The file must exist afterwards.
 * Codex runs with a private HOME and a dead proxy for everything but 127.0.0.1, so it cannot reach the net.
 */
import assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { CODEX, CODEX_INSTALL, codexInstalled, runCodex } from "./codex_run.ts";
import {
  byteChunks,
  dataFrames,
  type FakeHandler,
  serveGateway,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";

const MODEL = "kimi-k2.6";
const CONTENT = "hello from opencode-bridge";

type ChatBody = {
  messages?: { role: string; content?: unknown }[];
  tools?: { function?: { name?: string } }[];
};

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-e2e",
  object: "chat.completion.chunk",
  created: 1,
  model: MODEL,
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** First turn: reasoning and an `exec_command` call in small argument fragments; after its output: done. */
const upstream: FakeHandler = (request) => {
  const body = request.body as ChatBody;
  const usage = { ...chunk({}), choices: [], usage: { prompt_tokens: 900, completion_tokens: 20 } };
  const hasTool = body.tools?.some((tool) => tool.function?.name === "exec_command") ?? false;
  const answered = body.messages?.at(-1)?.role === "tool";
  if (!hasTool || answered) {
    const text = answered ? "Created hello.txt." : "Title";
    return sseResponse(
      byteChunks(dataFrames([chunk({ role: "assistant", content: text }), chunk({}, "stop"), usage]), 17),
    );
  }
  const args = JSON.stringify({ cmd: `printf '${CONTENT}\\n' > hello.txt` });
  const fragments = args.match(/.{1,9}/gs) ?? [];
  return sseResponse(byteChunks(
    dataFrames([
      chunk({ role: "assistant", content: "" }),
      chunk({ reasoning_content: "The shell can write the file." }),
      chunk({
        tool_calls: [{
          index: 0,
          id: "call_e2e",
          type: "function",
          function: { name: "exec_command", arguments: "" },
        }],
      }),
      ...fragments.map((part) => chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] })),
      chunk({}, "tool_calls"),
      usage,
    ]) + 'data: {"choices":[],"cost":"0"}\n\n',
    23,
  ));
};

Deno.test({
  name: codexInstalled()
    ? "Codex CLI writes a file through /v1/responses translated to a chat upstream"
    : `Codex CLI e2e SKIPPED: ${CODEX} is absent (install it with: ${CODEX_INSTALL})`,
  ignore: !codexInstalled(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeUpstream(upstream);
    const catalog = fakeCatalog([{ id: MODEL, family: "openai-chat" }], { go: fake.url });
    const gateway = serveGateway(testGateway(testConfig({ OPENCODE_API_KEY: "server-key" }), { catalog }));
    const work = await Deno.makeTempDir({ prefix: "ocb-codex-work-" });
    try {
      // The config is what `setup codex` prints (its TOML lines), plus settings for running unattended.
      const { code, log, snippet } = await runCodex({
        gatewayUrl: gateway.url,
        catalog,
        model: MODEL,
        prompt: "Create hello.txt containing a greeting.",
        work,
      });
      const written = await Deno.readTextFile(`${work}/hello.txt`).catch(() => undefined);
      assert.equal(written, `${CONTENT}\n`, `Codex exited ${code}; its output:\n${log}`);
      const answered = fake.requests.filter((request) =>
        (request.body as ChatBody).messages?.at(-1)?.role === "tool"
      );
      assert.ok(answered.length >= 1, "the tool output never came back to the upstream");
      assert.equal(code, 0, log);
      // Every setting the snippet writes (model_context_window among them) is one Codex reads.
      assert.doesNotMatch(log, /unrecognized configuration setting/i, log);
      assert.match(snippet.join("\n"), /^model_context_window = \d+$/m);
    } finally {
      await gateway.close();
      await fake.close();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
