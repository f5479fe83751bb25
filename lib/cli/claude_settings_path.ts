/** Where Claude Code reads settings (shared/reference/claude-code-client.md §9.1). */

export type SettingsScope = "user" | "project";

/**
 * `user`: `$CLAUDE_CONFIG_DIR/settings.json`, else `~/.claude/settings.json`. `project`: the repository root's
 * `.claude/settings.local.json` — the personal, git-excluded file, since the block holds a key (the shared
 * `.claude/settings.json` is committed).
 */
export function claudeSettingsPath(
  scope: SettingsScope,
  env: Record<string, string | undefined>,
  cwd: string,
): string {
  if (scope === "project") return `${projectRoot(cwd)}/.claude/settings.local.json`;
  const configDir = env.CLAUDE_CONFIG_DIR;
  if (configDir) return `${configDir.replace(/\/+$/, "")}/settings.json`;
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) throw new Error("HOME is not set: cannot find ~/.claude/settings.json (pass --scope project)");
  return `${home.replace(/\/+$/, "")}/.claude/settings.json`;
}

/** The nearest directory up from `cwd` holding `.git`, else `cwd` itself. */
export function projectRoot(cwd: string): string {
  let directory = cwd.replace(/\/+$/, "") || "/";
  while (true) {
    try {
      Deno.statSync(`${directory}/.git`);
      return directory;
    } catch { /* keep climbing */ }
    const parent = directory.replace(/\/[^/]*$/, "") || "/";
    if (parent === directory) return cwd;
    directory = parent;
  }
}

/** Managed settings files that override anything a user file sets (§9.1). */
export const managedSettingsPaths = [
  "/etc/claude-code/managed-settings.json",
  "/Library/Application Support/ClaudeCode/managed-settings.json",
];
