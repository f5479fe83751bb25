/**
 * The test run's log tap: every gateway a test creates logs through it, at LOG_LEVEL "debug", so the lines of a
 * whole `deno task test` end up on disk and scripts/check_test_logs.ts can grep them for the keys the tests use.
 *
 * One file per test module (each module runs in its own isolate under `--parallel`), opened when this module
 * loads (so no test is charged with a leaked resource) and written with `writeSync`: lines land even when a
 * test fails or times out. The directory is `$OCB_TEST_LOG_DIR`, else `.cache/test-logs/` in the repository.
 */
import type { Config } from "../../lib/config.ts";
import { parseConfig } from "../../lib/config.ts";
import { createGateway, type GatewayDeps } from "../../lib/gateway.ts";
import type { LogSink } from "../../lib/log/logger.ts";

/** Where the tap files go; scripts/check_test_logs.ts resolves it the same way. */
export function testLogDir(): string {
  const configured = Deno.env.get("OCB_TEST_LOG_DIR");
  if (configured) return configured;
  return decodeURIComponent(new URL("../../.cache/test-logs/", import.meta.url).pathname);
}

const encoder = new TextEncoder();
let file: Deno.FsFile | undefined;
try {
  const dir = testLogDir();
  Deno.mkdirSync(dir, { recursive: true });
  file = Deno.openSync(`${dir.replace(/\/$/, "")}/${Deno.pid}-${crypto.randomUUID()}.jsonl`, {
    append: true,
    create: true,
  });
} catch (error) {
  // Without a tap the audit finds too few lines and fails; the tests themselves still run.
  console.error(`log tap: cannot open a file under ${testLogDir()}: ${error}`);
}

/** Appends one log line to this isolate's tap file. */
export const logTap: LogSink = (line) => {
  if (!file) return;
  const bytes = encoder.encode(`${line}\n`);
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
};

/** A sink that writes to `own` (the test's captured lines) and to the tap. */
export function teeToTap(own: LogSink): LogSink {
  return (line) => {
    logTap(line);
    own(line);
  };
}

/** `parseConfig` with LOG_LEVEL "debug" unless the test sets it. */
export function testConfig(settings: Record<string, string | undefined> = {}): Config {
  return parseConfig({ LOG_LEVEL: "debug", ...settings });
}

/**
 * `createGateway` for tests. Without `deps.log` it logs every line (LOG_LEVEL forced to "debug") to the tap;
 * with `deps.log` (a test that asserts on its own lines) it keeps the test's LOG_LEVEL and tees to the tap.
 */
export function testGateway(config: Config, deps: GatewayDeps = {}): (request: Request) => Promise<Response> {
  if (deps.log) return createGateway(config, { ...deps, log: teeToTap(deps.log) });
  return createGateway({ ...config, LOG_LEVEL: "debug" }, { ...deps, log: logTap });
}
