/**
 * The Codex CLI (npm `@openai/codex`, Responses API) against the gateway, which translates to a fake
 * OpenCode Go chat upstream (Kimi-like): the upstream answers with an `exec_command` tool call that writes a
 * file, Codex runs it and sends the output back, the upstream ends the turn. The file must exist afterwards.
 * Codex runs with a private HOME and a dead proxy for everything but 127.0.0.1, so it cannot reach the net.
 */
import assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { codexSnippet } from "../../lib/cli/client_snippets.ts";
import {
  byteChunks,
  dataFrames,
  type FakeHandler,
  serveGateway,
  sseResponse,
  startFakeUpstream,
} from "../support/fake_upstream.ts";

export const CODEX_VERSION = "0.169.0";
const CODEX = new URL("../../.cache/e2e-openai/node_modules/.bin/codex", import.meta.url).pathname;
const INSTALL = `npm install --prefix .cache/e2e-openai @openai/codex@${CODEX_VERSION}`;
const MODEL = "kimi-k2.6";
const CONTENT = "hello from opencode-bridge";

function codexInstalled(): boolean {
  try {
    return Deno.statSync(CODEX).isFile;
  } catch {
    return false;
  }
}

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
    : `Codex CLI e2e SKIPPED: ${CODEX} is absent (install it with: ${INSTALL})`,
  ignore: !codexInstalled(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const fake = startFakeUpstream(upstream);
    const catalog = fakeCatalog([{ id: MODEL, family: "openai-chat" }], { go: fake.url });
    const gateway = serveGateway(testGateway(testConfig({ OPENCODE_API_KEY: "server-key" }), { catalog }));
    // The config is what `setup codex` prints (its TOML lines), plus settings for running unattended.
    const snippet = codexSnippet({
      url: gateway.url,
      models: [{ name: MODEL, model: await catalog.resolve(MODEL) }],
    })
      .split("\n").filter((line) => !line.startsWith("#") && !line.startsWith("export "));
    const home = await Deno.makeTempDir({ prefix: "ocb-codex-home-" });
    const work = await Deno.makeTempDir({ prefix: "ocb-codex-work-" });
    try {
      await Deno.mkdir(`${home}/.codex`);
      await Deno.writeTextFile(
        `${home}/.codex/config.toml`,
        [
          `approval_policy = "never"`,
          `sandbox_mode = "danger-full-access"`,
          `check_for_update_on_startup = false`,
          ...snippet,
        ].join("\n"),
      );
      const dead = "http://127.0.0.1:9";
      const output = await new Deno.Command(CODEX, {
        args: ["exec", "--skip-git-repo-check", "Create hello.txt containing a greeting."],
        cwd: work,
        clearEnv: true,
        env: {
          PATH: "/usr/local/bin:/usr/bin:/bin",
          HOME: home,
          CODEX_HOME: `${home}/.codex`,
          OPENCODE_API_KEY: "client-key",
          HTTPS_PROXY: dead,
          HTTP_PROXY: dead,
          ALL_PROXY: dead,
          NO_PROXY: "127.0.0.1,localhost",
        },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(180_000),
      }).output();
      const log = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
      const written = await Deno.readTextFile(`${work}/hello.txt`).catch(() => undefined);
      assert.equal(written, `${CONTENT}\n`, `Codex exited ${output.code}; its output:\n${log}`);
      const answered = fake.requests.filter((request) =>
        (request.body as ChatBody).messages?.at(-1)?.role === "tool"
      );
      assert.ok(answered.length >= 1, "the tool output never came back to the upstream");
      assert.equal(output.code, 0, log);
      // Every setting the snippet writes (model_context_window among them) is one Codex reads.
      assert.doesNotMatch(log, /unrecognized configuration setting/i, log);
      assert.match(snippet.join("\n"), /^model_context_window = \d+$/m);
    } finally {
      await gateway.close();
      await fake.close();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
