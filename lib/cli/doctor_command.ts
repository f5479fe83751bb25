/**
 * `opencode-bridge doctor`: the checks against the services this machine's configuration names. The key is
 * `--key`, else OPENCODE_API_KEY, else the token `setup claude-code` wrote (clients' keys pass through); the
 * models are `--model` (repeatable), else the ones Claude Code's settings and the gateway's MODEL_* name.
 */
import { type Config, loadConfig } from "../config.ts";
import { createGateway } from "../gateway.ts";
import { claudeSettingsPath } from "./claude_settings_path.ts";
import { openCommandCatalog } from "./command_catalog.ts";
import { anyFailed } from "../doctor/check_result.ts";
import type { WantedModel } from "../doctor/model_checks.ts";
import { runDoctor } from "../doctor/run_doctor.ts";
import { checkGatewayAnswers } from "../doctor/service_checks.ts";
import { renderDoctor } from "./render_doctor.ts";
import { readSettings } from "./settings_file.ts";

export interface DoctorOptions {
  key?: string;
  model?: string[];
  json?: boolean;
}

export interface DoctorCommandDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  fetch?: typeof fetch;
  kv?: Deno.Kv;
  out: (text: string) => void;
}

const claudeModelKeys = [
  "ANTHROPIC_MODEL",
  "ANTHROPIC_DEFAULT_OPUS_MODEL",
  "ANTHROPIC_DEFAULT_SONNET_MODEL",
  "ANTHROPIC_DEFAULT_HAIKU_MODEL",
] as const;

/** Returns the exit code: 0 when nothing failed, 1 otherwise. */
export async function doctorCommand(options: DoctorOptions, deps: DoctorCommandDeps): Promise<number> {
  const config = await loadConfig(deps.env);
  const claude = await claudeSettingsEnv(deps.env, deps.cwd);
  const { key, keySource } = chooseKey(options, config, claude);
  const wanted = wantedModels(options, config, claude);
  const fetchFn = deps.fetch ?? globalThis.fetch;
  // The live model lists are read with the key being checked, as the server reads them with its own.
  const catalogConfig: Config = { ...config, OPENCODE_API_KEY: key ?? config.OPENCODE_API_KEY };
  const opened = await openCommandCatalog(catalogConfig, { fetch: fetchFn, kv: deps.kv });
  try {
    // The key goes in each request as a client's would; the gateway's own keys are not involved.
    const gatewayConfig: Config = { ...config, GATEWAY_KEYS: undefined, OPENCODE_API_KEY: undefined };
    const gateway = createGateway(gatewayConfig, { fetch: fetchFn, catalog: opened.catalog, log: () => {} });
    const results = await runDoctor({
      config,
      key,
      keySource,
      wanted,
      fetch: fetchFn,
      catalog: opened.catalog,
      catalogData: () => opened.catalog.data(),
      kv: opened.kv,
      kvError: opened.kvError,
      gateway,
    });
    const baseUrl = claude?.env.ANTHROPIC_BASE_URL;
    if (typeof baseUrl === "string" && baseUrl) {
      results.push(await checkGatewayAnswers(fetchFn, baseUrl, claude!.path));
    }
    deps.out(
      options.json
        ? JSON.stringify({ ok: !anyFailed(results), checks: results }, null, 2)
        : renderDoctor(results),
    );
    return anyFailed(results) ? 1 : 0;
  } finally {
    await opened.catalog.settled();
    opened.close();
  }
}

interface ClaudeSettings {
  path: string;
  env: Record<string, unknown>;
}

async function claudeSettingsEnv(
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<ClaudeSettings | undefined> {
  try {
    const path = claudeSettingsPath("user", env, cwd);
    const { settings } = await readSettings(path);
    const block = settings.env;
    if (typeof block !== "object" || block === null || !("ANTHROPIC_BASE_URL" in block)) return undefined;
    return { path, env: block as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

function chooseKey(
  options: DoctorOptions,
  config: Config,
  claude: ClaudeSettings | undefined,
): { key?: string; keySource: string } {
  if (options.key) return { key: options.key, keySource: "--key" };
  if (config.OPENCODE_API_KEY) return { key: config.OPENCODE_API_KEY, keySource: "OPENCODE_API_KEY" };
  const token = claude?.env.ANTHROPIC_AUTH_TOKEN ?? claude?.env.ANTHROPIC_API_KEY;
  // With GATEWAY_KEYS the token in Claude Code's settings is a gateway key, not an OpenCode key.
  if (typeof token === "string" && token && !config.GATEWAY_KEYS?.length) {
    return { key: token, keySource: `ANTHROPIC_AUTH_TOKEN in ${claude!.path}` };
  }
  return { keySource: "nowhere" };
}

function wantedModels(
  options: DoctorOptions,
  config: Config,
  claude: ClaudeSettings | undefined,
): WantedModel[] {
  if (options.model?.length) return options.model.map((name) => ({ name, source: "--model" }));
  const wanted: WantedModel[] = [];
  for (const key of claudeModelKeys) {
    const value = claude?.env[key];
    if (typeof value === "string" && value) wanted.push({ name: value, source: `${key} in ${claude!.path}` });
  }
  for (const key of ["MODEL_SONNET", "MODEL_OPUS", "MODEL_HAIKU"] as const) {
    wanted.push({ name: config[key], source: `${key}, what Claude names map to` });
  }
  return wanted;
}
