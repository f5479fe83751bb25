// The log audit (scripts/check_test_logs.ts) that `deno task test` runs over the log tap: it derives the keys
// from the tests' source, finds a planted key or 12-character fragment of one, refuses a vacuous run, and
// every gateway the tests create logs through the tap.
import * as assert from "node:assert/strict";
import { checkTestLogs, deriveKeys, keysInSource, mask } from "../../scripts/check_test_logs.ts";

const PLANTED_KEY = "sk-planted-audit-9f8e7d6c5b4a";
const repo = decodeURIComponent(new URL("../../", import.meta.url).pathname);

function requestLine(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    time: "2026-01-01T00:00:00.000Z",
    level: "info",
    msg: "request",
    status: 200,
    ...extra,
  });
}

/** A tests dir holding one source file and a log dir of `count` clean request lines, plus `planted` lines. */
async function fixture(count: number, planted: string[] = []) {
  const root = await Deno.makeTempDir({ prefix: "log-audit-" });
  await Deno.mkdir(`${root}/tests`);
  await Deno.mkdir(`${root}/logs`);
  await Deno.writeTextFile(
    `${root}/tests/some_test.ts`,
    `const client = new Anthropic({ apiKey: "${PLANTED_KEY}" });\n`,
  );
  const lines = Array.from({ length: count }, (_, index) => requestLine({ request_id: `req_${index}` }));
  await Deno.writeTextFile(`${root}/logs/a.jsonl`, `${lines.join("\n")}\n`);
  await Deno.writeTextFile(`${root}/logs/b.jsonl`, planted.map((line) => `${line}\n`).join(""));
  const output: string[] = [];
  const run = (minRequestLines?: number) =>
    checkTestLogs({
      logDir: `${root}/logs`,
      testsDir: `${root}/tests`,
      explicitKeys: [],
      minRequestLines,
      print: (line) => output.push(line),
    });
  return { root, output, run };
}

Deno.test("log audit: a clean run passes with a one-line summary", async () => {
  const { root, output, run } = await fixture(600);
  try {
    assert.equal(await run(), 0);
    assert.deepEqual(output, [
      "log audit: 600 lines from 2 files (600 request lines), 1 keys checked, 0 leaks",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("log audit: a planted key fails the run with file:line and the key masked", async () => {
  const { root, output, run } = await fixture(600, [
    requestLine(),
    requestLine({ error: { message: `Invalid key: Bearer ${PLANTED_KEY}` } }),
  ]);
  try {
    assert.equal(await run(), 1);
    assert.equal(output[0], `${root}/logs/b.jsonl:2: key ${mask(PLANTED_KEY)}`);
    assert.match(output.at(-1)!, /, 1 leaks$/);
    assert.ok(output.every((line) => !line.includes(PLANTED_KEY.slice(4, 16))), "the report leaks no key");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("log audit: a planted 12-character fragment of a key fails the run", async () => {
  const fragment = PLANTED_KEY.slice(9, 21);
  assert.equal(fragment.length, 12);
  const { root, output, run } = await fixture(600, [requestLine({ model: `x${fragment}y` })]);
  try {
    assert.equal(await run(), 1);
    assert.equal(output[0], `${root}/logs/b.jsonl:1: a 12-character fragment of key ${mask(PLANTED_KEY)}`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("log audit: too few request lines fail the run (a silent suite proves nothing)", async () => {
  const { root, output, run } = await fixture(499);
  try {
    assert.equal(await run(), 1);
    assert.match(output.join("\n"), /only 499 request lines/);
    assert.equal(await run(10), 0);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("log audit: the script exits 1 on a leak and --clear empties the tap directory", async () => {
  const { root } = await fixture(600, [requestLine({ echoed: `x-api-key: ${PLANTED_KEY}` })]);
  try {
    const script = `${repo}scripts/check_test_logs.ts`;
    const env = { OCB_TEST_LOG_DIR: `${root}/logs`, NO_COLOR: "1" };
    const checked = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", script], env }).output();
    const stdout = new TextDecoder().decode(checked.stdout);
    assert.equal(checked.code, 1, stdout);
    assert.match(stdout, /b\.jsonl:1: key sk-p…\(29 chars\)/);
    assert.match(
      stdout,
      /^log audit: 601 lines from 2 files \(601 request lines\), \d+ keys checked, 1 leaks$/m,
    );
    const cleared = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", script, "--clear"], env })
      .output();
    assert.equal(cleared.code, 0);
    await assert.rejects(Deno.stat(`${root}/logs`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("log audit: keys are derived from credential positions and key shapes, not prose", () => {
  const source = `
    const CLIENT_KEY = "cli-0123456789";
    const prompt_cache_key = "not-a-credential-1";
    // apiKey: "sk-in-a-comment-only"
    headers.set("x-api-key", "hdr-key-1");
    new OpenAI({ apiKey: "sdk-key-2" });
    request({ headers: { authorization: \`Bearer \${CLIENT_KEY}\` } });
    parseConfig({ OPENCODE_API_KEY: "up-key-3", GATEWAY_KEYS: "gw-a1,gw-b2" });
    messagesRequest(body, { key: "opt-key-4" });
    const text = "My key is sk-shaped-in-prose and test-key-5";
    assert.equal(redacted.Authorization, "[redacted]");
    assert.equal(body.prompt_cache_key, "sess-1");
    const re = /"apiKey": "sk-in-a-regex"/;
  `;
  assert.deepEqual(
    keysInSource(source).sort(),
    [
      "cli-0123456789",
      "cli-0123456789",
      "gw-a1",
      "gw-b2",
      "hdr-key-1",
      "opt-key-4",
      "sdk-key-2",
      "sk-shaped-in-prose",
      "test-key-5",
      "up-key-3",
    ].sort(),
  );
});

Deno.test("log audit: the real suite's keys are derived, short and word-like values left out", async () => {
  const keys = await deriveKeys(`${repo}tests`);
  for (
    const key of [
      "sk-oc-LOGTEST-client-1a2b3c4d5e6f",
      "gwk-LOGTEST-7f3a9c1e5b",
      "test-key",
      "gw-key-one",
      PLANTED_KEY,
    ]
  ) {
    assert.ok(keys.includes(key), `missing ${mask(key)}`);
  }
  for (const word of ["k", "sk", "client", "[redacted]"]) assert.ok(!keys.includes(word), word);
});

Deno.test("every gateway the tests create logs through the tap (tests/support/log_tap.ts)", async () => {
  const offenders: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (path.endsWith(".ts") && !path.endsWith("/support/log_tap.ts")) {
        if (/\bcreateGateway\s*\(/.test(await Deno.readTextFile(path))) {
          offenders.push(path.slice(repo.length));
        }
      }
    }
  };
  await walk(`${repo}tests`);
  assert.deepEqual(offenders, [], "use testGateway from tests/support/log_tap.ts");
});
