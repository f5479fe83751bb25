/**
 * Runs the Codex CLI (`codex exec`) against a gateway, unattended: a private HOME whose config.toml is what
 * `setup codex` prints plus `extraConfig`, and a dead proxy for everything but 127.0.0.1 (no internet).
 */
import { codexSnippet } from "../../lib/cli/client_snippets.ts";
import type { Catalog } from "../../lib/catalog/types.ts";

export const CODEX_VERSION = "0.169.0";
export const CODEX = new URL("../../.cache/e2e-openai/node_modules/.bin/codex", import.meta.url).pathname;
export const CODEX_INSTALL = `npm install --prefix .cache/e2e-openai @openai/codex@${CODEX_VERSION}`;

export function codexInstalled(): boolean {
  try {
    return Deno.statSync(CODEX).isFile;
  } catch {
    return false;
  }
}

export interface CodexRun {
  code: number;
  stdout: string;
  log: string;
  /** The snippet's TOML lines as written. */
  snippet: string[];
}

/** `work` is Codex's working directory (the caller reads what it wrote there and removes it). */
export async function runCodex(
  options: {
    gatewayUrl: string;
    catalog: Catalog;
    model: string;
    prompt: string;
    work: string;
    extraConfig?: string[];
  },
): Promise<CodexRun> {
  const snippet = codexSnippet({
    url: options.gatewayUrl,
    models: [{ name: options.model, model: await options.catalog.resolve(options.model) }],
  }).split("\n").filter((line) => !line.startsWith("#") && !line.startsWith("export "));
  const home = await Deno.makeTempDir({ prefix: "ocb-codex-home-" });
  try {
    await Deno.mkdir(`${home}/.codex`);
    await Deno.writeTextFile(
      `${home}/.codex/config.toml`,
      [
        `approval_policy = "never"`,
        `sandbox_mode = "danger-full-access"`,
        `check_for_update_on_startup = false`,
        ...(options.extraConfig ?? []),
        ...snippet,
      ].join("\n"),
    );
    const dead = "http://127.0.0.1:9";
    const output = await new Deno.Command(CODEX, {
      args: ["exec", "--skip-git-repo-check", options.prompt],
      cwd: options.work,
      clearEnv: true,
      env: {
        PATH: "/usr/local/bin:/usr/bin:/bin",
        HOME: home,
        CODEX_HOME: `${home}/.codex`,
        OPENCODE_API_KEY: "client-key",
        HTTPS_PROXY: dead,
        HTTP_PROXY: dead,
        ALL_PROXY: dead,
        NO_PROXY: "127.0.0.1,localhost",
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(180_000),
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    return { code: output.code, stdout, log: stdout + new TextDecoder().decode(output.stderr), snippet };
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}
