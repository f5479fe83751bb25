/**
 * The command line as a user runs it (`deno run main.ts …` in a child process): `--help` and `--version`
 * print and exit without serving, every command has its own help, an unknown command fails, and no
 * arguments still serves, now with a startup summary.
 */
import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { startGatewayProcess } from "../support/gateway_process.ts";
import { startFakeOpencodeService } from "../support/fake_opencode_service.ts";
import { baseProcessEnv, configPath, mainPath } from "../support/deno_process.ts";

/** The startup lines come right after "listening on", which is all startGatewayProcess waits for. */
async function startupLines(gateway: { lines(): string[] }): Promise<string> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const lines = gateway.lines().join("\n");
    if (lines.includes("next: ")) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return gateway.lines().join("\n");
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--config=${configPath}`, mainPath, ...args],
    env: {
      ...baseProcessEnv(),
      ...env,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

Deno.test("--help and --version print and exit without serving", async () => {
  const help = await cli(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  for (const command of ["serve", "setup", "doctor", "models"]) {
    assert.match(help.stdout, new RegExp(`\\n  ${command}`));
  }
  assert.doesNotMatch(help.stderr + help.stdout, /listening on/);
  const version = await cli(["--version"]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), denoJson.version);
});

Deno.test("every command has its own --help", async () => {
  const expectations: [string[], RegExp][] = [
    [["setup", "--help"], /claude-code.*\n.*claude-desktop.*\n.*codex.*\n.*opencode.*\n.*openai/s],
    [["setup", "claude-code", "--help"], /--url <url>.*--key <key>.*--model <id>.*--scope <scope>.*--print/s],
    [["setup", "claude-desktop", "--help"], /--model <id\.\.\.>/],
    [["doctor", "--help"], /--key <key>.*--model <id\.\.\.>.*--json/s],
    [["models", "--help"], /--service <service>.*--json/s],
  ];
  for (const [args, pattern] of expectations) {
    const run = await cli(args);
    assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stdout, pattern, args.join(" "));
  }
});

Deno.test("an unknown command or option fails with a hint instead of serving", async () => {
  const run = await cli(["serv"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error: .*serv/);
  assert.match(run.stderr, /--help/);
  const option = await cli(["models", "--bogus"]);
  assert.equal(option.code, 1);
  assert.match(option.stderr, /unknown option '--bogus'/);
});

Deno.test("models --json --offline lists the bundled catalog with limits and prices", async () => {
  const run = await cli(["models", "--json", "--offline", "--service", "go"], { KV_PATH: ":memory:" });
  assert.equal(run.code, 0, run.stderr);
  const rows = JSON.parse(run.stdout) as { id: string; service: string; context: number; price: unknown }[];
  const kimi = rows.find((row) => row.id === "kimi-k2.6");
  assert.deepEqual(
    { service: kimi?.service, context: kimi?.context, price: kimi?.price },
    { service: "go", context: 262144, price: { input: 0.95, output: 4, cacheRead: 0.16 } },
  );
  assert.ok(rows.every((row) => row.service === "go"));
  const table = await cli(["models", "--offline"], { KV_PATH: ":memory:" });
  assert.equal(table.code, 0, table.stderr);
  assert.match(
    table.stdout,
    /^MODEL\s+SERVICE\s+FAMILY \(ENDPOINT\)\s+CONTEXT\s+OUTPUT\s+IMAGES\s+PDF\s+REASONING/m,
  );
  assert.match(
    table.stdout,
    /kimi-k2\.6\s+go\s+openai-chat \(\/chat\/completions\)\s+262K\s+66K\s+✓\s+–\s+✓\s+\$0\.95 \/ \$4/,
  );
  assert.match(table.stdout, /Catalog: the bundled snapshot/);
});

Deno.test("doctor exits 1 when the key is rejected", async () => {
  const fake = startFakeOpencodeService({ key: "sk-program-good-key-01", chat: ["kimi-k2.6"] });
  try {
    const run = await cli(["doctor", "--key", "sk-program-bad-key-002", "--model", "kimi-k2.6"], {
      KV_PATH: ":memory:",
      OPENCODE_GO_URL: fake.url,
      OPENCODE_ZEN_URL: fake.url,
      MODELS_DEV_URL: `${fake.url}/api.json`,
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /✗\s+OpenCode Go: key and model list/);
  } finally {
    await fake.close();
  }
});

Deno.test("no arguments serves, and the startup lines say where, whose key and what next", async () => {
  const passThrough = await startGatewayProcess({});
  try {
    const lines = await startupLines(passThrough);
    assert.match(
      lines,
      /forwards to OpenCode Go https:\/\/opencode\.ai\/zen\/go\/v1 and OpenCode Zen https:\/\/opencode\.ai\/zen\/v1/,
    );
    assert.match(lines, /keys: none on the server; each client's own OpenCode key passes through/);
    assert.match(
      lines,
      /next: run `deno task setup claude-code`, or export ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\d+ ANTHROPIC_AUTH_TOKEN=<your OpenCode key>/,
    );
    const hello = await fetch(`${passThrough.url}/api/hello`);
    assert.equal(hello.status, 200);
    await hello.body?.cancel();
  } finally {
    await passThrough.stop();
  }
  const locked = await startGatewayProcess({
    OPENCODE_API_KEY: "sk-program-server-01",
    GATEWAY_KEYS: "gwk-program-1,gwk-program-2",
  });
  try {
    const lines = await startupLines(locked);
    assert.match(
      lines,
      /keys: the server's OPENCODE_API_KEY pays; clients must send one of the 2 GATEWAY_KEYS/,
    );
    assert.match(lines, /ANTHROPIC_AUTH_TOKEN=<a gateway key>/);
    assert.doesNotMatch(lines, /sk-program-server-01|gwk-program-1/);
  } finally {
    await locked.stop();
  }
});
