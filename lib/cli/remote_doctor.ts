/**
 * `doctor` for a Claude Code pointed at a gateway that requires gateway keys (GATEWAY_KEYS on that server,
 * often another machine): the token in Claude Code's settings is then a gateway key, which must never be sent
 * to OpenCode. Such a gateway refuses its GET /v1/models without credentials (it is open otherwise), and its
 * GET /test-connection runs the doctor's checks there, with the server's own OpenCode key.
 */
import type { CheckResult, CheckStatus } from "../doctor/check_result.ts";

/** /v1/models is answered from the catalog, without an upstream call. */
const PROBE_TIMEOUT_MS = 10_000;
/** /test-connection sends a tiny request per model family upstream. */
const CHECKS_TIMEOUT_MS = 120_000;

const statuses: ReadonlySet<string> = new Set<CheckStatus>(["ok", "warn", "fail", "skip"]);

function root(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
}

async function fetchWithin(fetchFn: typeof fetch, url: string, init: RequestInit, ms: number) {
  const controller = new AbortController();
  // A plain timer cleared in finally, so nothing outlives the call.
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms / 1000} s`)), ms);
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal });
    return { response, body: await response.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the gateway at `baseUrl` answers 401 to a request without credentials (it holds GATEWAY_KEYS). */
export async function gatewayRequiresKeys(fetchFn: typeof fetch, baseUrl: string): Promise<boolean> {
  try {
    const { response } = await fetchWithin(fetchFn, `${root(baseUrl)}/v1/models`, {}, PROBE_TIMEOUT_MS);
    return response.status === 401;
  } catch {
    return false;
  }
}

function isCheck(value: unknown): value is CheckResult {
  const check = value as CheckResult;
  return typeof check?.name === "string" && typeof check.detail === "string" && statuses.has(check.status);
}

/** The gateway's own checks, run with `token` as the caller's gateway key; each name is marked `gateway:`. */
export async function remoteDoctorChecks(
  fetchFn: typeof fetch,
  baseUrl: string,
  token: string,
  models: string[],
): Promise<CheckResult[]> {
  const name = `Gateway key for ${root(baseUrl)}`;
  const url = new URL(`${root(baseUrl)}/test-connection`);
  for (const model of models) url.searchParams.append("model", model);
  try {
    const { response, body } = await fetchWithin(
      fetchFn,
      url.href,
      { headers: { authorization: `Bearer ${token}` } },
      CHECKS_TIMEOUT_MS,
    );
    if (response.status === 401 || response.status === 403) {
      return [{
        name,
        status: "fail",
        detail: `the gateway refused the token in Claude Code's settings (HTTP ${response.status})`,
        fix:
          "This gateway takes one of its GATEWAY_KEYS, not an OpenCode key: ask its operator for one and " +
          `rerun \`deno task setup claude-code --url ${root(baseUrl)} --key <gateway key>\`.`,
      }];
    }
    const checks = (JSON.parse(body) as { checks?: unknown }).checks;
    // A 503 carries the same report: some check failed there, and the checks say which.
    if ((!response.ok && response.status !== 503) || !Array.isArray(checks) || !checks.every(isCheck)) {
      throw new Error(`GET /test-connection answered HTTP ${response.status} without a list of checks`);
    }
    return [
      {
        name,
        status: "ok",
        detail: "accepted; the checks below ran on the gateway, with its own OpenCode key",
      },
      ...checks.map((check) => ({ ...check, name: `gateway: ${check.name}` })),
    ];
  } catch (error) {
    return [{
      name,
      status: "fail",
      detail: `the gateway's checks could not be read: ${(error as Error)?.message ?? error}`,
      fix:
        "Open the gateway's /test-connection with the key (Authorization: Bearer) to see what it says, or " +
        "ask its operator to run `deno task doctor` there.",
    }];
  }
}
