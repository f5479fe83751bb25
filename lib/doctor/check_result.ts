/** One doctor finding, shared by the `doctor` command and `GET /test-connection`. */

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  /** What was checked, in a few words (`OpenCode Go models (GET /models)`). */
  name: string;
  status: CheckStatus;
  /** What was seen: counts, latency, the upstream's own words. */
  detail: string;
  /** For warn and fail: what to do about it, in plain words. */
  fix?: string;
}

export const statusMark: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", skip: "–" };

/** Whether anything is broken (the doctor's exit code and the route's `ok`). */
export function anyFailed(results: CheckResult[]): boolean {
  return results.some((result) => result.status === "fail");
}

export const keyFix =
  "OpenCode did not accept the key. Copy a fresh one from https://opencode.ai/auth, then set OPENCODE_API_KEY " +
  "(server key) or rerun `deno task setup claude-code --key <key>` (clients' keys).";

/** A network failure as the user can act on it. */
export function unreachableFix(what: string, url: string, setting: string): string {
  return `${what} at ${url} cannot be reached: check the internet connection or proxy, or ${setting} if you ` +
    "changed it.";
}
