/**
 * Read-modify-write of a JSON settings file (Claude Code's settings.json): only the given `env` keys change,
 * everything else is kept in its order; the old file is copied to a timestamped backup; the new one is written
 * to a temporary file and renamed over the old (mode 0600: it holds a key). A file that does not parse is
 * never touched.
 */

export interface EnvChange {
  /** Keys to set (as strings, as Claude Code requires). */
  set: Record<string, string>;
  /** Keys to remove when present. */
  remove: readonly string[];
}

export interface MergeResult {
  settings: Record<string, unknown>;
  added: string[];
  updated: string[];
  removed: string[];
}

export class SettingsFileError extends Error {
  override name = "SettingsFileError";
}

const schemaUrl = "https://json.schemastore.org/claude-code-settings.json";

/** Applies `change` to a parsed settings object; throws when `env` is present but not an object. */
export function mergeEnv(existing: Record<string, unknown>, change: EnvChange, path: string): MergeResult {
  const currentEnv = existing.env ?? {};
  if (typeof currentEnv !== "object" || currentEnv === null || Array.isArray(currentEnv)) {
    throw new SettingsFileError(`${path}: "env" is not an object; fix it by hand, then run setup again`);
  }
  const env: Record<string, unknown> = { ...currentEnv };
  const added: string[] = [];
  const updated: string[] = [];
  const removed: string[] = [];
  for (const [key, value] of Object.entries(change.set)) {
    if (!(key in env)) added.push(key);
    else if (env[key] !== value) updated.push(key);
    env[key] = value;
  }
  for (const key of change.remove) {
    if (key in env && !(key in change.set)) {
      delete env[key];
      removed.push(key);
    }
  }
  const settings: Record<string, unknown> = "$schema" in existing ? {} : { $schema: schemaUrl };
  for (const [key, value] of Object.entries(existing)) settings[key] = key === "env" ? env : value;
  if (!("env" in settings)) settings.env = env;
  return { settings, added, updated, removed };
}

/** The parsed file, `{}` when it does not exist; throws SettingsFileError when it is not a JSON object. */
export async function readSettings(
  path: string,
): Promise<{ settings: Record<string, unknown>; text?: string }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { settings: {} };
    throw new SettingsFileError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  if (text.trim() === "") return { settings: {}, text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SettingsFileError(
      `${path} is not valid JSON (${(error as Error).message}); Claude Code would reject it too. ` +
        `Fix or move it, then run setup again. Nothing was changed.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SettingsFileError(`${path} does not hold a JSON object; nothing was changed`);
  }
  return { settings: parsed as Record<string, unknown>, text };
}

export interface WriteResult extends MergeResult {
  path: string;
  /** Where the previous file was copied, when there was one and it changed. */
  backupPath?: string;
  /** False when the file already held exactly this content. */
  written: boolean;
}

export async function writeSettingsEnv(
  path: string,
  change: EnvChange,
  now: Date = new Date(),
): Promise<WriteResult> {
  const { settings: existing, text } = await readSettings(path);
  const merged = mergeEnv(existing, change, path);
  const next = `${JSON.stringify(merged.settings, null, 2)}\n`;
  if (text === next) return { ...merged, path, written: false };
  const directory = path.replace(/\/[^/]*$/, "") || "/";
  await Deno.mkdir(directory, { recursive: true });
  let backupPath: string | undefined;
  if (text !== undefined) {
    const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    backupPath = `${path}.${stamp}.bak`;
    await Deno.writeTextFile(backupPath, text, { mode: 0o600 });
  }
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(temporary, next, { mode: 0o600 });
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw new SettingsFileError(`Cannot write ${path}: ${(error as Error).message}`);
  }
  return { ...merged, path, backupPath, written: true };
}
