/**
 * Done-when of the providers file: the example file, pointed at a fake Ollama-like server, lets the
 * real Claude Code CLI write a file through `local/coder`, and `GET /v1/models` lists it. The gateway runs
 * with the real catalog (offline: the bundled snapshot) and the file loaded by loadConfig, as `main.ts` does.
 */
import assert from "node:assert/strict";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { loadConfig } from "../../lib/config.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { testGateway } from "../support/log_tap.ts";
import { OLLAMA_KEY, startFakeOllama } from "./fake_ollama.ts";
import { WRITTEN_CONTENT } from "./scripted_chat_upstream.ts";
import {
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
const CLI_TIMEOUT_MS = 120_000;

/** The example, verbatim but for the base URL. */
function exampleFile(baseUrl: string): string {
  return `{
  "providers": [
    {
      "name": "local",                         // route prefix /local/…, model ids "local/<id>"
      "baseUrl": "${baseUrl}",
      "format": "openai-chat",                 // openai-chat | anthropic | openai-responses | gemini
      "apiKey": "env:OLLAMA_KEY",              // a literal, "env:NAME", or omitted: pass the client's key on
      "headers": { "X-Title": "my-gateway" },   // extra upstream headers; never overrides auth
      "discover": true,                        // also list what GET {baseUrl}/models returns
      "models": [
        { "id": "coder", "upstreamId": "qwen3-coder:30b", "context": 65536, "output": 8192,
          "image": false, "pdf": false, "reasoning": true, "reasoningField": "reasoning_content" }
      ]
    }
  ]
}
`;
}

Deno.test({
  name:
    `Claude Code ${CLAUDE_CODE_VERSION} writes a file through local/coder from the providers file${skipped}`,
  ignore: !binary,
  async fn() {
    await assertClaudeCodeRuns(binary!);
    const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
    const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
    const filePath = `${project}/hello.txt`;
    const ollama = startFakeOllama(filePath);
    const configFile = `${home}/providers.jsonc`;
    await Deno.writeTextFile(configFile, exampleFile(`${ollama.url}/v1`));
    // OpenCode's services point at a closed loopback port: nothing in this run may leave the machine.
    const config = await loadConfig({
      CONFIG_FILE: configFile,
      OLLAMA_KEY,
      OPENCODE_GO_URL: "http://127.0.0.1:9/v1",
      OPENCODE_ZEN_URL: "http://127.0.0.1:9/v1",
      MODELS_DEV_URL: "http://127.0.0.1:9/api.json",
      MODEL_HAIKU: "local/coder",
      LOG_LEVEL: "debug",
    });
    const catalog = createCatalog(config, { fetch: globalThis.fetch, log: () => {} });
    const gateway = serveGateway(testGateway(config, { catalog }));
    try {
      const listed = await (await fetch(`${gateway.url}/v1/models`)).json() as {
        data: { id: string; owned_by: string }[];
      };
      const ids = listed.data.map((model) => `${model.id} (${model.owned_by})`);
      assert(
        ids.includes("local/coder (local)"),
        `GET /v1/models does not list local/coder: ${ids.join(", ")}`,
      );
      // discover: true adds the server's other model.
      assert(ids.includes("local/llama3.2:3b (local)"), ids.join(", "));
      const run = await runClaudeCode({
        binary: binary!,
        args: [
          "-p",
          `Create the file ${filePath} containing the line: hello from opencode-bridge`,
          "--permission-mode",
          "acceptEdits",
          "--model",
          "local/coder",
        ],
        cwd: project,
        env: claudeCodeEnvironment(home, gateway.url, { ANTHROPIC_DEFAULT_HAIKU_MODEL: "local/coder" }),
        timeoutMs: CLI_TIMEOUT_MS,
      });
      const written = await Deno.readTextFile(filePath).catch(() => undefined);
      const report = [
        describeRun(run, ollama.requests, ollama.statuses),
        `--- rejections ---\n${ollama.rejections().join("\n") || "  (none)"}`,
      ].join("\n");
      if (Deno.env.get("E2E_REPORT") === "1") console.log(report);
      assert(!run.timedOut, `Claude Code did not finish within ${CLI_TIMEOUT_MS} ms\n${report}`);
      assert.deepEqual(ollama.rejections(), [], `the local server rejected requests\n${report}`);
      assert.equal(written, WRITTEN_CONTENT, `hello.txt is missing or wrong\n${report}`);
      assert.equal(run.code, 0, `Claude Code failed\n${report}`);
      const chats = ollama.requests.filter((request) => request.path === "/v1/chat/completions");
      assert(chats.length >= 2, `expected a tool round trip\n${report}`);
      for (const request of chats) {
        assert.equal((request.body as { model: string }).model, "qwen3-coder:30b", report);
        assert.equal(request.headers.get("x-title"), "my-gateway", report);
      }
    } finally {
      await catalog.settled();
      await gateway.close();
      await ollama.close();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(project, { recursive: true }).catch(() => {});
    }
  },
});
