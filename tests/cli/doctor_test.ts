/**
 * `doctor` against fake OpenCode services on 127.0.0.1: ✓ everywhere with a good key; a clear ✗ with the fix
 * for a bad key, an unreachable service, and models the services do not serve; exit code 1 on any ✗.
 */
import assert from "node:assert/strict";
import { doctorCommand, type DoctorOptions } from "../../lib/cli/doctor_command.ts";
import { startFakeOpencodeService } from "../support/fake_opencode_service.ts";
import { freePort } from "../support/deno_process.ts";

const GOOD_KEY = "sk-doctor-good-key-0001";
const BAD_KEY = "sk-doctor-bad-key-0002";

async function runDoctor(
  options: DoctorOptions,
  urls: { go: string; zen: string; modelsDev: string },
): Promise<{ code: number; text: string }> {
  const home = await Deno.makeTempDir({ prefix: "ocb-doctor-home-" });
  const kv = await Deno.openKv(":memory:");
  let text = "";
  try {
    const code = await doctorCommand(options, {
      env: {
        HOME: home,
        OPENCODE_GO_URL: urls.go,
        OPENCODE_ZEN_URL: urls.zen,
        MODELS_DEV_URL: urls.modelsDev,
        LOG_LEVEL: "silent",
      },
      cwd: home,
      kv,
      out: (line) => text += `${line}\n`,
    });
    return { code, text };
  } finally {
    kv.close();
    await Deno.remove(home, { recursive: true });
  }
}

function services() {
  const go = startFakeOpencodeService({
    key: GOOD_KEY,
    chat: ["kimi-k2.6", "deepseek-v4-flash"],
    listedOnly: ["glm-5.2"],
    messages: ["minimax-m2.7"],
  });
  const zen = startFakeOpencodeService({ key: GOOD_KEY, chat: ["kimi-k2.6"] });
  return {
    go,
    zen,
    urls: { go: go.url, zen: zen.url, modelsDev: `${go.url}/api.json` },
    close: async () => {
      await go.close();
      await zen.close();
    },
  };
}

Deno.test("doctor: a good key passes every check and exits 0", async () => {
  const fake = services();
  try {
    const { code, text } = await runDoctor(
      { key: GOOD_KEY, model: ["kimi-k2.6", "minimax-m2.7"] },
      fake.urls,
    );
    assert.equal(code, 0, text);
    assert.doesNotMatch(text, /✗/);
    for (
      const check of [
        "OpenCode Go: key and model list",
        "OpenCode Zen: key and model list",
        "OpenCode Go: usage limits",
        "Deno KV",
      ]
    ) {
      assert.match(text, new RegExp(`✓\\s+${check}`), `${check} should pass:\n${text}`);
    }
    assert.match(text, /✓\s+OpenCode Go openai-chat \(\/chat\/completions\): kimi-k2\.6/);
    assert.match(text, /✓\s+OpenCode Go anthropic \(\/messages\): minimax-m2\.7/);
    assert.match(text, /5-hour 4%, weekly 3%, monthly 1%/);
    assert.match(text, /✓\s+Model catalog\s+models\.dev/);
    assert.match(text, /Everything needed works/);
    // One tiny request per family actually reached the service, with the key where OpenCode reads it.
    const chat = fake.go.requests.filter((request) => request.path.endsWith("/chat/completions"));
    const messages = fake.go.requests.filter((request) => request.path.endsWith("/messages"));
    assert.equal(chat.length, 1);
    assert.equal(messages.length, 1);
    assert.equal(messages[0].headers.get("x-api-key"), GOOD_KEY);
  } finally {
    await fake.close();
  }
});

Deno.test("doctor: a rejected key is a ✗ that says to fetch a new key, and exits 1", async () => {
  const fake = services();
  try {
    const { code, text } = await runDoctor({ key: BAD_KEY, model: ["kimi-k2.6"] }, fake.urls);
    assert.equal(code, 1);
    assert.match(
      text,
      /✗\s+OpenCode Go: key and model list \(GET \/models\)\s+HTTP 401 AuthError: Unauthorized/,
    );
    assert.match(text, /✗\s+OpenCode Go: usage limits/);
    assert.match(text, /✗\s+OpenCode Go openai-chat .*HTTP 401 authentication_error/);
    assert.match(text, /How to fix:/);
    assert.match(
      text,
      /OpenCode did not accept the key\. Copy a fresh one from https:\/\/opencode\.ai\/auth/,
    );
    assert.doesNotMatch(text, new RegExp(BAD_KEY), "the key itself is never printed");
  } finally {
    await fake.close();
  }
});

Deno.test("doctor: an unreachable service is a ✗ naming its URL and setting", async () => {
  const fake = services();
  try {
    const zen = `http://127.0.0.1:${freePort()}`;
    const { code, text } = await runDoctor({ key: GOOD_KEY, model: ["kimi-k2.6"] }, { ...fake.urls, zen });
    assert.equal(code, 1);
    assert.match(text, /✗\s+OpenCode Zen: key and model list/);
    assert.ok(
      text.includes(
        `OpenCode Zen at ${zen} cannot be reached: check the internet connection or proxy, or OPENCODE_ZEN_URL`,
      ),
      text,
    );
    assert.match(text, /✓\s+OpenCode Go: key and model list/);
  } finally {
    await fake.close();
  }
});

Deno.test("doctor: models the services do not serve are ✗ with the way to pick another", async () => {
  const fake = services();
  try {
    // This Go lists glm-5.2 but answers ModelError for it; no-such-model is in no catalog at all.
    const { code, text } = await runDoctor({ key: GOOD_KEY, model: ["glm-5.2", "no-such-model"] }, fake.urls);
    assert.equal(code, 1);
    assert.match(text, /✗\s+Model no-such-model \(--model\)/);
    assert.match(text, /Neither Go nor Zen serves no-such-model\. Pick a model from `deno task models`/);
    assert.match(text, /✗\s+OpenCode Go openai-chat .*glm-5\.2\s+glm-5\.2: HTTP 404 not_found_error/);
    assert.match(text, /does not serve this model \(any more\): pick one from `deno task models`/);
  } finally {
    await fake.close();
  }
});

Deno.test("doctor --json: the same checks as data, ok false when one fails", async () => {
  const fake = services();
  try {
    const { code, text } = await runDoctor(
      { key: GOOD_KEY, model: ["no-such-model"], json: true },
      fake.urls,
    );
    assert.equal(code, 1);
    const report = JSON.parse(text) as {
      ok: boolean;
      checks: { name: string; status: string; fix?: string }[];
    };
    assert.equal(report.ok, false);
    const failed = report.checks.filter((check) => check.status === "fail");
    assert.deepEqual(failed.map((check) => check.name), ["Model no-such-model (--model)"]);
    assert.ok(failed[0].fix);
  } finally {
    await fake.close();
  }
});

Deno.test("doctor: the key setup wrote into Claude Code's settings is found without flags", async () => {
  const fake = services();
  const stoppedGatewayPort = freePort();
  const home = await Deno.makeTempDir({ prefix: "ocb-doctor-home-" });
  const kv = await Deno.openKv(":memory:");
  try {
    await Deno.mkdir(`${home}/.claude`);
    await Deno.writeTextFile(
      `${home}/.claude/settings.json`,
      JSON.stringify({
        env: {
          ANTHROPIC_BASE_URL: `http://127.0.0.1:${stoppedGatewayPort}`,
          ANTHROPIC_AUTH_TOKEN: GOOD_KEY,
          ANTHROPIC_MODEL: "kimi-k2.6",
        },
      }),
    );
    let text = "";
    const code = await doctorCommand({}, {
      env: {
        HOME: home,
        OPENCODE_GO_URL: fake.urls.go,
        OPENCODE_ZEN_URL: fake.urls.zen,
        MODELS_DEV_URL: fake.urls.modelsDev,
        MODEL_OPUS: "kimi-k2.6",
        MODEL_SONNET: "kimi-k2.6",
        MODEL_HAIKU: "deepseek-v4-flash",
      },
      cwd: home,
      kv,
      out: (line) => text += line,
    });
    assert.equal(code, 0, text);
    assert.match(text, /OpenCode key\s+from ANTHROPIC_AUTH_TOKEN in .*\/\.claude\/settings\.json/);
    assert.match(text, /kimi-k2\.6, deepseek-v4-flash/);
    // The gateway Claude Code points at is not running: a warning that says how to start it, not a failure.
    assert.match(text, /!\s+Gateway Claude Code uses \(.*settings\.json\)/);
    assert.match(
      text,
      /Nothing answers at http:\/\/127\.0\.0\.1:\d+: start the gateway with `deno task start`/,
    );
  } finally {
    kv.close();
    await Deno.remove(home, { recursive: true });
    await fake.close();
  }
});
