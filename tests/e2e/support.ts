/**
 * Drives the real Claude Code CLI (`claude -p`) against the gateway and a scripted upstream: finds the pinned
 * binary, runs it in a private HOME with a minimal environment, kills it after a bounded time and explains
 * failures with the CLI's output and every request the fake upstream saw.
 */
import type { Catalog } from "../../lib/catalog/types.ts";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import type { RecordedRequest } from "../support/fake_upstream.ts";

/** The version `.ci/run` installs into `.cache/e2e`; the fixtures under /work/shared were recorded with it. */
export const CLAUDE_CODE_VERSION = "2.1.330";

const repositoryRoot = new URL("../../", import.meta.url).pathname;

/**
 * The CLI to run: `CLAUDE_CODE_BIN` whenever it is set (`.ci/run` sets it, so CI never skips: a failed
 * install fails the test), else the copy `.ci/run` installs if present; undefined means "skip".
 */
export function findClaudeCode(): string | undefined {
  const configured = Deno.env.get("CLAUDE_CODE_BIN");
  if (configured) return configured;
  const installed = `${repositoryRoot}.cache/e2e/node_modules/.bin/claude`;
  try {
    return Deno.statSync(installed).isFile ? installed : undefined;
  } catch {
    return undefined;
  }
}

/** What a test name says when the CLI is absent (outside CI only: `.ci/run` always installs it). */
export const NOT_INSTALLED = " [skipped: Claude Code CLI not installed; run .ci/run or set CLAUDE_CODE_BIN]";

/** The test-name suffix for a run with or without the CLI. */
export function skipSuffix(binary: string | undefined): string {
  return binary ? "" : NOT_INSTALLED;
}

/**
 * Throws unless `binary --version` reports the pinned version. Without its postinstall the npm package
 * leaves an executable stub that only prints "claude native binary not installed"; this names that case.
 */
export async function assertClaudeCodeRuns(binary: string): Promise<void> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(binary, { args: ["--version"], stdin: "null" }).output();
  } catch (error) {
    throw new Error(`Cannot start the Claude Code CLI at ${binary}: ${(error as Error).message}`);
  }
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  if (!output.success || !text.includes(CLAUDE_CODE_VERSION)) {
    throw new Error(
      `The Claude Code CLI at ${binary} is not a working ${CLAUDE_CODE_VERSION} (exit ${output.code}): ${text.trim()}` +
        "\nReinstall it with .ci/run (see .cache/e2e-install.log).",
    );
  }
}

export interface CliRun {
  code: number;
  /** True when the harness killed the CLI after `timeoutMs`. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export interface CliOptions {
  binary: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}

/** Runs the CLI with exactly `env` (nothing inherited) and SIGKILLs it after `timeoutMs`. */
export async function runClaudeCode(options: CliOptions): Promise<CliRun> {
  const started = performance.now();
  const child = new Deno.Command(options.binary, {
    args: options.args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      timedOut,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The environment a user behind the gateway sets, and nothing else: no proxy variables, a private HOME,
 * a PATH with only the system directories (the Write tool needs no helper programs).
 */
export function claudeCodeEnvironment(
  home: string,
  gatewayUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    HOME: home,
    PATH: "/usr/local/bin:/usr/bin:/bin",
    TERM: "dumb",
    NO_COLOR: "1",
    ANTHROPIC_BASE_URL: gatewayUrl,
    ANTHROPIC_AUTH_TOKEN: "test-key",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    // Test-only: a broken gateway should fail in seconds, not after ten backed-off retries.
    CLAUDE_CODE_MAX_RETRIES: "1",
    ...extra,
  };
}

/**
 * Resolves Claude Code's built-in aliases (`claude-haiku-…` for background work when no
 * ANTHROPIC_DEFAULT_HAIKU_MODEL is set) to `fallback`, as the real catalog's claude-alias rule does.
 */
export function aliasingCatalog(catalog: Catalog, fallback: string, requested: string[]): Catalog {
  return {
    async resolve(name, options) {
      requested.push(name);
      try {
        return await catalog.resolve(name, options);
      } catch (error) {
        if (!(error instanceof GatewayError) || !/claude|opus|sonnet|haiku/i.test(name)) throw error;
        return { ...(await catalog.resolve(fallback, options)), requested: name, matchedBy: "claude-alias" };
      }
    },
    list: (options) => catalog.list(options),
  };
}

/** A fake upstream as the e2e harness sees it, whichever helper started it. */
export interface E2eUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Status answered per request, when the fake records it. */
  statuses?: ReadonlyMap<RecordedRequest, number>;
  /** One line per request the fake refused. */
  rejections(): string[];
  close(): Promise<void>;
}

/** Everything needed to see why a run failed: exit state, output tails and a digest of each upstream call. */
export function describeRun(
  run: CliRun,
  requests: RecordedRequest[],
  statuses?: ReadonlyMap<RecordedRequest, number>,
): string {
  const tail = (text: string) => text.length > 4000 ? `…${text.slice(-4000)}` : text;
  const calls = requests.map((request, index) => {
    const body = request.body as Record<string, unknown> | undefined;
    const messages = Array.isArray(body?.messages) ? body.messages as { role?: string }[] : [];
    const tools = Array.isArray(body?.tools) ? body.tools.length : 0;
    return `  #${index + 1} ${request.method} ${request.path} → ${statuses?.get(request) ?? "?"} model=${
      String(body?.model)
    } roles=${messages.map((message) => message.role).join(",")} tools=${tools} session=${
      request.headers.get("x-opencode-session") ?? "(none)"
    }`;
  });
  return [
    `claude exited with code ${run.code}${
      run.timedOut ? " (killed after timeout)" : ""
    } in ${run.elapsedMs} ms`,
    `--- stdout (tail) ---\n${tail(run.stdout)}`,
    `--- stderr (tail) ---\n${tail(run.stderr)}`,
    `--- upstream requests (${requests.length}) ---\n${calls.join("\n") || "  (none)"}`,
  ].join("\n");
}

/** Cuts text into pieces of `size` UTF-16 units, the way upstreams stream small deltas. */
export function splitText(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let offset = 0; offset < text.length; offset += size) parts.push(text.slice(offset, offset + size));
  return parts;
}
