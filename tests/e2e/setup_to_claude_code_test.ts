/**
 * The done-when test of issue 13: from a clone to a working Claude Code session with `deno task setup
 * claude-code` and the gateway alone. A private HOME; the real setup task run as a subprocess with flags (no
 * terminal); the real server process (gateway_process.ts) pointed at a scripted OpenCode Go; then the real
 * Claude Code CLI with no Claude Code variables at all in its environment — it must read the settings.json
 * env block setup wrote — writes a file through the gateway.
 */
import assert from "node:assert/strict";
import snapshot from "../../lib/catalog/snapshot.json" with { type: "json" };
import { startGatewayProcess } from "../support/gateway_process.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { baseProcessEnv, configPath, freePort } from "../support/deno_process.ts";
import { scriptedChatUpstream, WRITTEN_CONTENT } from "./scripted_chat_upstream.ts";
import {
  assertClaudeCodeRuns,
  CLAUDE_CODE_VERSION,
  describeRun,
  findClaudeCode,
  runClaudeCode,
  skipSuffix,
} from "./support.ts";

const binary = findClaudeCode();
const skipped = skipSuffix(binary);

async function cacheDir(): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  return (JSON.parse(new TextDecoder().decode(output.stdout)) as { denoDir: string }).denoDir;
}

Deno.test({
  name:
    `clone → \`deno task setup claude-code\` → gateway → Claude Code ${CLAUDE_CODE_VERSION} writes a file${skipped}`,
  ignore: !binary,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await assertClaudeCodeRuns(binary!);
    // The private HOME must not move Deno's cache (it would download every package again).
    const denoDir = Deno.env.get("DENO_DIR") || await cacheDir();
    const home = await Deno.makeTempDir({ prefix: "ocb-done-home-" });
    const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-done-project-" }));
    const kvDir = await Deno.makeTempDir({ prefix: "ocb-done-kv-" });
    const filePath = `${project}/hello.txt`;
    const scripted = scriptedChatUpstream(filePath);
    // OpenCode Go as the gateway sees it: the live model list, models.dev metadata, and Kimi on chat.
    const fake = startFakeUpstream((request, signal) => {
      if (request.method === "GET" && request.path === "/api.json") return Response.json(snapshot);
      if (request.method === "GET" && request.path === "/models") {
        return Response.json({
          object: "list",
          data: ["kimi-k2.6", "deepseek-v4-flash"].map((id) => ({
            id,
            object: "model",
            created: 0,
            owned_by: "opencode",
          })),
        });
      }
      return scripted.handler(request, signal);
    });
    // Where OpenCode lives is test plumbing; a user has the defaults and types none of this.
    const plumbing = {
      OPENCODE_GO_URL: fake.url,
      OPENCODE_ZEN_URL: fake.url,
      MODELS_DEV_URL: `${fake.url}/api.json`,
      KV_PATH: `${kvDir}/kv.sqlite`,
    };
    const port = freePort();
    let gateway: Awaited<ReturnType<typeof startGatewayProcess>> | undefined;
    try {
      // 1. What the user types: deno task setup claude-code (flags instead of answers: no terminal here).
      const setupStarted = performance.now();
      const setup = await new Deno.Command(Deno.execPath(), {
        args: [
          "task",
          `--config=${configPath}`,
          "setup",
          "claude-code",
          "--url",
          `http://127.0.0.1:${port}`,
          "--key",
          "test-key",
          "--model",
          "kimi-k2.6",
        ],
        env: { ...baseProcessEnv(), HOME: home, DENO_DIR: denoDir, ...plumbing },
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(120_000),
      }).output();
      const setupMs = Math.round(performance.now() - setupStarted);
      const setupText = new TextDecoder().decode(setup.stdout) + new TextDecoder().decode(setup.stderr);
      assert.equal(setup.code, 0, setupText);
      const settings = JSON.parse(await Deno.readTextFile(`${home}/.claude/settings.json`));
      assert.equal(settings.env.ANTHROPIC_BASE_URL, `http://127.0.0.1:${port}`);
      assert.equal(settings.env.ANTHROPIC_AUTH_TOKEN, "test-key");
      assert.equal(settings.env.ANTHROPIC_API_KEY, undefined);
      assert.equal(settings.env.CLAUDE_CODE_MAX_CONTEXT_TOKENS, "262144");

      // 2. deno task start: the real server process, the user's key passing through (no server key).
      const gatewayStarted = performance.now();
      gateway = await startGatewayProcess({ ...plumbing, PORT: String(port) });
      const gatewayMs = Math.round(performance.now() - gatewayStarted);

      // 3. claude: nothing Claude Code-specific in the environment; it must come from settings.json.
      const run = await runClaudeCode({
        binary: binary!,
        args: [
          "-p",
          `Create the file ${filePath} containing the line: hello from opencode-bridge`,
          "--permission-mode",
          "acceptEdits",
        ],
        cwd: project,
        env: { HOME: home, PATH: "/usr/local/bin:/usr/bin:/bin", TERM: "dumb", NO_COLOR: "1" },
        timeoutMs: 180_000,
      });
      const written = await Deno.readTextFile(filePath).catch(() => undefined);
      const gatewayLog = gateway.lines().filter((line) => line.startsWith("{")).map((line) => {
        const entry = JSON.parse(line) as {
          method?: string;
          route?: string;
          status?: number;
          model?: string;
        };
        return `${entry.method} ${entry.route} → ${entry.status} ${entry.model ?? ""}`;
      });
      const report = [
        describeRun(run, fake.requests, scripted.statuses),
        `--- upstream rejections ---\n${scripted.rejections.join("\n") || "  (none)"}`,
        `--- gateway log ---\n  ${gatewayLog.join("\n  ") || "(nothing)"}`,
        `--- setup output ---\n${setupText}`,
      ].join("\n");
      console.log(
        `setup ${setupMs} ms, gateway start ${gatewayMs} ms, claude -p ${run.elapsedMs} ms ` +
          `(${fake.requests.length} upstream requests)`,
      );
      if (Deno.env.get("E2E_REPORT") === "1") console.log(report);
      assert(!run.timedOut, `Claude Code did not finish\n${report}`);
      assert.deepEqual(scripted.rejections, [], `the upstream rejected requests\n${report}`);
      assert.equal(written, WRITTEN_CONTENT, `hello.txt is missing or wrong\n${report}`);
      assert.equal(run.code, 0, `Claude Code failed\n${report}`);
      const chat = fake.requests.filter((request) => request.path === "/chat/completions");
      assert(chat.length >= 2, `expected a tool round trip\n${report}`);
      // The key and the models came from settings.json: nothing else could have supplied them.
      for (const request of chat) {
        assert.equal(request.headers.get("authorization"), "Bearer test-key", report);
      }
      const models = new Set(chat.map((request) => (request.body as { model?: string }).model));
      assert(models.has("kimi-k2.6"), report);
      for (const model of models) assert(["kimi-k2.6", "deepseek-v4-flash"].includes(model ?? ""), report);
      // Discovery (enabled by setup) fetched the gateway's list and cached the claude-looking aliases.
      assert(gatewayLog.some((line) => line.startsWith("GET /v1/models → 200")), report);
      const cache = JSON.parse(await Deno.readTextFile(`${home}/.claude/cache/gateway-models.json`)) as {
        models: { id: string; display_name?: string; description?: string }[];
      };
      const kimi = cache.models.find((model) => model.id === "claude-go-kimi-k2.6");
      assert.deepEqual(kimi, {
        id: "claude-go-kimi-k2.6",
        display_name: "Kimi K2.6 (Go)",
        description: "OpenCode Go · /chat/completions",
      }, JSON.stringify(cache));
    } finally {
      await gateway?.stop();
      await fake.close();
      for (const dir of [home, project, kvDir]) await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
