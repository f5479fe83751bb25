/**
 * `setup claude-code`: writes (or with `--print` prints) the `env` block of Claude Code's settings.json that
 * points it at this gateway, asking in a terminal for what the flags and environment do not say.
 */
import type { Catalog } from "../catalog/types.ts";
import { parseConfig } from "../config.ts";
import { chooseModel, SetupError } from "./choose_model.ts";
import { claudeCodeEnv, conflictingEnvKeys, managedEnvKeys } from "./claude_code_env.ts";
import { claudeSettingsPath, managedSettingsPaths, type SettingsScope } from "./claude_settings_path.ts";
import { readSettings, writeSettingsEnv } from "./settings_file.ts";
import { type Asker, maskKey } from "./terminal_prompt.ts";

export interface SetupClaudeCodeOptions {
  url?: string;
  key?: string;
  model?: string;
  opus?: string;
  sonnet?: string;
  haiku?: string;
  scope: SettingsScope;
  print: boolean;
  discovery: boolean;
}

export interface SetupDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  catalog: Catalog;
  asker: Asker;
  /** stdout: the `--print` output only. */
  out: (text: string) => void;
  /** stderr: questions, notes and the summary. */
  say: (text: string) => void;
  now?: Date;
  /** Files whose presence means managed settings override the user's (tests pass their own). */
  managedPaths?: string[];
}

/** The gateway address `deno task start` will listen on, from the same environment. */
export function defaultGatewayUrl(env: Record<string, string | undefined>): string {
  const config = parseConfig(env);
  const host = config.HOSTNAME === "0.0.0.0" || config.HOSTNAME === "::" ? "127.0.0.1" : config.HOSTNAME;
  return `http://${host}:${config.PORT === 0 ? 8787 : config.PORT}`;
}

/** Returns the process exit code. */
export async function setupClaudeCode(options: SetupClaudeCodeOptions, deps: SetupDeps): Promise<number> {
  try {
    return await run(options, deps);
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    deps.say(`✗ ${error.message}`);
    return 1;
  }
}

async function run(options: SetupClaudeCodeOptions, deps: SetupDeps): Promise<number> {
  const { env, asker, say } = deps;
  const config = parseConfig(env);
  const path = claudeSettingsPath(options.scope, env, deps.cwd);
  const existing = options.print
    ? {}
    : await readSettings(path).then((file) => file.settings).catch((error) => {
      throw new SetupError(error.message);
    });
  const existingEnv = (existing.env ?? {}) as Record<string, unknown>;

  const fallbackUrl = defaultGatewayUrl(env);
  const url = options.url ??
    (asker.interactive ? await asker.ask("Gateway URL", { default: fallbackUrl }) : fallbackUrl);
  checkUrl(url, say);

  const key = options.key ?? await chooseKey(asker, config.GATEWAY_KEYS, env.OPENCODE_API_KEY, existingEnv);
  const ask = { catalog: deps.catalog, asker, say };
  const main = await chooseModel(ask, "--model", options.model, config.MODEL_SONNET);
  // Only the main model is asked for; the tiers follow it (haiku: the cheap background model) unless flagged.
  const quiet = { ...ask, asker: { ...asker, interactive: false } };
  const pick = (flag: string, given: string | undefined, fallback: string) =>
    chooseModel(quiet, flag, given, fallback);
  const opus = await pick("--opus", options.opus, main.name);
  const sonnet = await pick("--sonnet", options.sonnet, main.name);
  const haiku = await pick("--haiku", options.haiku, config.MODEL_HAIKU);

  const { env: block, notes } = claudeCodeEnv({
    url,
    key,
    main,
    opus,
    sonnet,
    haiku,
    discovery: options.discovery,
  });
  for (const note of notes) say(`note: ${note}`);
  for (const warning of warnings(options, env, existingEnv, deps.managedPaths ?? managedSettingsPaths)) {
    say(`warning: ${warning}`);
  }
  if (options.print) {
    deps.out(`${JSON.stringify({ env: block }, null, 2)}\n`);
    say(`Paste the "env" block into ${path} (or run without --print to merge it there).`);
    return 0;
  }
  const result = await writeSettingsEnv(path, {
    set: block,
    remove: [...managedEnvKeys, ...conflictingEnvKeys],
  }, deps.now).catch((error) => {
    throw new SetupError(error.message);
  });
  say(result.written ? `✓ Wrote ${result.path}` : `✓ ${result.path} already holds these settings`);
  if (result.backupPath) say(`  backup of the previous file: ${result.backupPath}`);
  const changes = [
    result.added.length ? `added ${result.added.join(", ")}` : "",
    result.updated.length ? `updated ${result.updated.join(", ")}` : "",
    result.removed.length ? `removed ${result.removed.join(", ")}` : "",
  ].filter(Boolean);
  if (changes.length) say(`  ${changes.join("; ")}`);
  for (const [name, value] of Object.entries(block)) {
    say(`  ${name}=${name === "ANTHROPIC_AUTH_TOKEN" ? maskKey(value) : value}`);
  }
  say("");
  say(
    "Next: start the gateway with `deno task start` (leave it running), then run `claude` in your project.",
  );
  say("Check the whole path any time with `deno task doctor`.");
  return 0;
}

/** The key Claude Code sends: a gateway key when the gateway has GATEWAY_KEYS, else the user's OpenCode key. */
async function chooseKey(
  asker: Asker,
  gatewayKeys: string[] | undefined,
  serverKey: string | undefined,
  existingEnv: Record<string, unknown>,
): Promise<string> {
  const previous = typeof existingEnv.ANTHROPIC_AUTH_TOKEN === "string"
    ? existingEnv.ANTHROPIC_AUTH_TOKEN
    : "";
  if (gatewayKeys?.length) {
    if (!asker.interactive) return gatewayKeys[0];
    return await asker.ask("Gateway key Claude Code should send (one of GATEWAY_KEYS)", {
      default: gatewayKeys[0],
      secret: true,
    });
  }
  const fallback = serverKey || previous;
  if (!asker.interactive) {
    if (fallback) return fallback;
    throw new SetupError(
      "No key: pass --key <your OpenCode key> (get one at https://opencode.ai/auth), or set OPENCODE_API_KEY",
    );
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await asker.ask("Your OpenCode API key (https://opencode.ai/auth)", {
      default: fallback || undefined,
      secret: true,
    });
    if (answer) return answer;
  }
  throw new SetupError("No key given: pass --key <your OpenCode key>");
}

function checkUrl(url: string, say: (text: string) => void): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SetupError(`--url ${url}: not a URL (expected e.g. http://127.0.0.1:8787)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new SetupError(`--url ${url}: expected an http:// or https:// address`);
  }
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(parsed.hostname);
  if (parsed.protocol === "http:" && !loopback) {
    say(`warning: ${url} is plain http to another machine: the key crosses the network unencrypted`);
  }
}

function warnings(
  options: SetupClaudeCodeOptions,
  env: Record<string, string | undefined>,
  existingEnv: Record<string, unknown>,
  managedPaths: string[],
): string[] {
  const found: string[] = [];
  if (env.ANTHROPIC_API_KEY) {
    found.push(
      "ANTHROPIC_API_KEY is exported in this shell: interactive Claude Code would ask whether to use it " +
        'and then say "Not logged in". Remove it from your shell profile (`unset ANTHROPIC_API_KEY`).',
    );
  }
  const quiet = env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC !== undefined ||
    existingEnv.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC !== undefined;
  if (options.discovery && quiet) {
    found.push(
      "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is set (any value, even 0): it also turns off the model " +
        "list Claude Code reads from the gateway (/model). Remove it, or pass --no-discovery.",
    );
  }
  for (const path of managedPaths) {
    try {
      Deno.statSync(path);
      found.push(`${path} exists: managed settings override what is written here`);
    } catch { /* absent: nothing overrides the user file */ }
  }
  return found;
}
