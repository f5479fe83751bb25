/**
 * `setup claude-code` in-process: the env block from the catalog's real limits, the merge into an existing
 * settings.json (other keys kept, a backup, ANTHROPIC_API_KEY removed), `--print`, the questions it asks in
 * a terminal, and the clear refusals.
 */
import assert from "node:assert/strict";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { setupClaudeCode, type SetupClaudeCodeOptions } from "../../lib/cli/setup_claude_code.ts";
import { type Asker, scriptedAsker } from "../../lib/cli/terminal_prompt.ts";
import { parseConfig } from "../../lib/config.ts";

const KEY = "sk-setup-test-key-0001";
const offline = () => Promise.reject(new Error("offline"));

interface Run {
  code: number;
  out: string;
  said: string;
  home: string;
  settingsPath: string;
}

async function setup(
  options: Partial<SetupClaudeCodeOptions>,
  init: { asker?: Asker; env?: Record<string, string>; home?: string; cwd?: string } = {},
): Promise<Run> {
  const home = init.home ?? await Deno.makeTempDir({ prefix: "ocb-setup-home-" });
  const catalog = createCatalog(parseConfig({}), { fetch: offline, log: () => {} });
  let out = "";
  let said = "";
  const code = await setupClaudeCode({ scope: "user", print: false, discovery: true, ...options }, {
    env: { HOME: home, ...init.env },
    cwd: init.cwd ?? home,
    catalog,
    asker: init.asker ?? { interactive: false, ask: () => Promise.reject(new Error("must not ask")) },
    out: (text) => out += text,
    say: (text) => said += `${text}\n`,
    now: new Date("2026-12-05T08:00:00Z"),
    managedPaths: [],
  });
  await catalog.settled();
  return { code, out, said, home, settingsPath: `${home}/.claude/settings.json` };
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(path));
}

Deno.test("setup claude-code writes the env block with the chosen models' real limits", async () => {
  const run = await setup({ key: KEY, url: "http://127.0.0.1:8787/v1/", model: "glm-5.2", haiku: "glm-5.1" });
  assert.equal(run.code, 0, run.said);
  const settings = await readJson(run.settingsPath);
  assert.equal(settings.$schema, "https://json.schemastore.org/claude-code-settings.json");
  assert.deepEqual(settings.env, {
    ANTHROPIC_BASE_URL: "http://127.0.0.1:8787",
    ANTHROPIC_AUTH_TOKEN: KEY,
    ANTHROPIC_MODEL: "glm-5.2",
    ANTHROPIC_DEFAULT_OPUS_MODEL: "glm-5.2",
    ANTHROPIC_DEFAULT_SONNET_MODEL: "glm-5.2",
    ANTHROPIC_DEFAULT_HAIKU_MODEL: "glm-5.1",
    ANTHROPIC_SMALL_FAST_MODEL: "glm-5.1",
    // glm-5.1's 202,752-token window is the smallest of the mapped models (glm-5.2 has 1M).
    CLAUDE_CODE_MAX_CONTEXT_TOKENS: "202752",
    // glm-5.2 can write 131,072 tokens, but no more than half the window is reserved for output.
    CLAUDE_CODE_MAX_OUTPUT_TOKENS: "101376",
    CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY: "1",
  });
  assert.equal((await Deno.stat(run.settingsPath)).mode! & 0o777, 0o600, "the file holds a key");
  assert.match(run.said, /✓ Wrote .*settings\.json/);
  assert.doesNotMatch(run.said, new RegExp(KEY), "the summary masks the key");
  assert.match(run.said, /Next: start the gateway with `deno task start`/);
});

Deno.test("setup claude-code merges into an existing file, keeps a backup and drops ANTHROPIC_API_KEY", async () => {
  const home = await Deno.makeTempDir({ prefix: "ocb-setup-home-" });
  await Deno.mkdir(`${home}/.claude`);
  const before = {
    permissions: { allow: ["Bash(git status)"] },
    hooks: { Stop: [{ hooks: [{ type: "command", command: "true" }] }] },
    env: { FOO: "bar", ANTHROPIC_API_KEY: "old-api-key-value", CLAUDE_CODE_MAX_CONTEXT_TOKENS: "1" },
    model: "opus",
  };
  const original = JSON.stringify(before, null, 4);
  await Deno.writeTextFile(`${home}/.claude/settings.json`, original);
  const run = await setup({ key: KEY }, { home });
  assert.equal(run.code, 0, run.said);
  const after = await readJson(run.settingsPath);
  assert.deepEqual(after.permissions, before.permissions);
  assert.deepEqual(after.hooks, before.hooks);
  assert.equal(after.model, "opus");
  const env = after.env as Record<string, string>;
  assert.equal(env.FOO, "bar");
  assert.equal(env.ANTHROPIC_API_KEY, undefined);
  assert.equal(env.CLAUDE_CODE_MAX_CONTEXT_TOKENS, "262144");
  assert.equal(env.ANTHROPIC_MODEL, "kimi-k2.6");
  const backup = `${run.settingsPath}.20261205T080000Z.bak`;
  assert.equal(await Deno.readTextFile(backup), original);
  assert.match(run.said, /backup of the previous file: .*20261205T080000Z\.bak/);
  assert.match(run.said, /removed ANTHROPIC_API_KEY/);
  assert.match(run.said, /updated CLAUDE_CODE_MAX_CONTEXT_TOKENS/);

  // A second identical run changes nothing and makes no new backup.
  const again = await setup({ key: KEY }, { home });
  assert.match(again.said, /already holds these settings/);
  const backups = [...Deno.readDirSync(`${home}/.claude`)].filter((entry) => entry.name.endsWith(".bak"));
  assert.equal(backups.length, 1);
});

Deno.test("setup claude-code --print prints the block and touches no file", async () => {
  const run = await setup({ key: KEY, print: true, model: "minimax-m2.7" });
  assert.equal(run.code, 0, run.said);
  const printed = JSON.parse(run.out) as { env: Record<string, string> };
  assert.equal(printed.env.ANTHROPIC_MODEL, "minimax-m2.7");
  assert.equal(printed.env.ANTHROPIC_AUTH_TOKEN, KEY);
  assert.equal(printed.env.CLAUDE_CODE_MAX_CONTEXT_TOKENS, "204800");
  await assert.rejects(Deno.stat(`${run.home}/.claude`), Deno.errors.NotFound);
});

Deno.test("setup claude-code refuses a settings.json that does not parse, and leaves it alone", async () => {
  const home = await Deno.makeTempDir({ prefix: "ocb-setup-home-" });
  await Deno.mkdir(`${home}/.claude`);
  const broken = '{ "env": { "FOO": "bar", } }';
  await Deno.writeTextFile(`${home}/.claude/settings.json`, broken);
  const run = await setup({ key: KEY }, { home });
  assert.equal(run.code, 1);
  assert.match(
    run.said,
    /✗ .*settings\.json is not valid JSON .*Fix or move it, then run setup again\. Nothing was changed\./,
  );
  assert.equal(await Deno.readTextFile(`${home}/.claude/settings.json`), broken);
});

Deno.test("setup claude-code without a terminal and without a key says which flag to pass", async () => {
  const run = await setup({});
  assert.equal(run.code, 1);
  assert.match(
    run.said,
    /✗ No key: pass --key <your OpenCode key> \(get one at https:\/\/opencode\.ai\/auth\)/,
  );
  // OPENCODE_API_KEY in the environment is enough.
  const withEnv = await setup({}, { env: { OPENCODE_API_KEY: KEY } });
  assert.equal(withEnv.code, 0, withEnv.said);
});

Deno.test("setup claude-code names close matches for a model no service serves", async () => {
  const run = await setup({ key: KEY, model: "kimi-k2.66" });
  assert.equal(run.code, 1);
  assert.match(run.said, /✗ --model kimi-k2\.66: Unknown model kimi-k2\.66.*kimi-k2\.6.*deno task models/);
});

Deno.test("setup claude-code in a terminal asks for the URL, the key and the model", async () => {
  const asker = scriptedAsker(["", KEY, "glm-5.2"]);
  const run = await setup({}, { asker, env: { PORT: "9911" } });
  assert.equal(run.code, 0, run.said);
  assert.deepEqual(asker.questions, [
    "Gateway URL",
    "Your OpenCode API key (https://opencode.ai/auth)",
    "Model for Claude Code (number or name)",
  ]);
  assert.match(run.said, /MODEL \(OpenCode Go\)/, "the model menu is shown");
  const env = (await readJson(run.settingsPath)).env as Record<string, string>;
  assert.equal(env.ANTHROPIC_BASE_URL, "http://127.0.0.1:9911", "an empty answer takes the default");
  assert.equal(env.ANTHROPIC_MODEL, "glm-5.2");
});

Deno.test("setup claude-code in a terminal takes a menu number and re-asks after a wrong name", async () => {
  const asker = scriptedAsker(["http://127.0.0.1:8787", KEY, "no-such-model", "1"]);
  const run = await setup({}, { asker });
  assert.equal(run.code, 0, run.said);
  assert.equal(asker.questions.length, 4);
  assert.match(run.said, /--model no-such-model: Unknown model/);
  const env = (await readJson(run.settingsPath)).env as Record<string, string>;
  const menuFirst = /^\s*1\s+(\S+)/m.exec(run.said)?.[1];
  assert.equal(env.ANTHROPIC_MODEL, menuFirst);
});

Deno.test("setup claude-code leaves CLAUDE_CODE_MAX_CONTEXT_TOKENS out for Claude-looking names", async () => {
  const home = await Deno.makeTempDir({ prefix: "ocb-setup-home-" });
  await setup({ key: KEY }, { home });
  const run = await setup({ key: KEY, model: "claude-go-glm-5.2", discovery: false }, { home });
  assert.equal(run.code, 0, run.said);
  const env = (await readJson(run.settingsPath)).env as Record<string, string>;
  assert.equal(env.CLAUDE_CODE_MAX_CONTEXT_TOKENS, undefined);
  assert.equal(env.CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY, undefined, "--no-discovery removes it");
  assert.match(run.said, /note: CLAUDE_CODE_MAX_CONTEXT_TOKENS is not written: Claude Code ignores it/);
});

Deno.test("setup claude-code warns about what would undo it", async () => {
  const run = await setup({ key: KEY, print: true }, {
    env: { ANTHROPIC_API_KEY: "exported-key-value", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "0" },
  });
  assert.match(run.said, /warning: ANTHROPIC_API_KEY is exported in this shell.*"Not logged in"/);
  assert.match(
    run.said,
    /warning: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is set .*Remove it, or pass --no-discovery/,
  );
});

Deno.test("setup claude-code --scope project writes the repository's settings.local.json", async () => {
  const repo = await Deno.makeTempDir({ prefix: "ocb-setup-repo-" });
  await Deno.mkdir(`${repo}/.git`);
  await Deno.mkdir(`${repo}/src/deep`, { recursive: true });
  const run = await setup({ key: KEY, scope: "project" }, { cwd: `${repo}/src/deep` });
  assert.equal(run.code, 0, run.said);
  const env = (await readJson(`${repo}/.claude/settings.local.json`)).env as Record<string, string>;
  assert.equal(env.ANTHROPIC_AUTH_TOKEN, KEY);
});
