/**
 * The doctor's checks of the services themselves: each service's `GET /models` with the key, Go's usage
 * windows, the catalog's source and age, and Deno KV.
 */
import type { CatalogData } from "../catalog/schema.ts";
import type { Service } from "../catalog/types.ts";
import type { Config } from "../config.ts";
import { type CheckResult, keyFix, unreachableFix } from "./check_result.ts";
import { describeAge } from "./describe_age.ts";
import { parseGoUsage } from "./go_usage.ts";

const timeoutMs = 15_000;
const serviceName = { go: "OpenCode Go", zen: "OpenCode Zen" } as const;
const urlSetting = { go: "OPENCODE_GO_URL", zen: "OPENCODE_ZEN_URL" } as const;

/** GET with the key and a bounded wait; the body is read (JSON when it parses). */
async function probe(
  fetchFn: typeof fetch,
  url: string,
  key: string,
): Promise<{ status: number; json: unknown; ms: number } | { error: string }> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)),
    timeoutMs,
  );
  try {
    const response = await fetchFn(url, {
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        accept: "application/json",
        "user-agent": "opencode-bridge-doctor",
      },
      signal: controller.signal,
      // The probe carries the key: a redirect must never take it to another host.
      redirect: "manual",
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      return { error: `redirect (HTTP ${response.status}) not followed` };
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch { /* not JSON: only the status counts */ }
    return { status: response.status, json, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function upstreamMessage(json: unknown): string {
  const error = (json as { error?: { type?: string; message?: string } } | undefined)?.error;
  return error ? `${error.type ?? "error"}: ${error.message ?? ""}`.trim() : "";
}

export async function checkModelList(
  config: Config,
  fetchFn: typeof fetch,
  service: Service,
  key: string,
): Promise<CheckResult> {
  const base = (service === "go" ? config.OPENCODE_GO_URL : config.OPENCODE_ZEN_URL).replace(/\/+$/, "");
  const name = `${serviceName[service]}: key and model list (GET /models)`;
  const result = await probe(fetchFn, `${base}/models`, key);
  if ("error" in result) {
    return {
      name,
      status: "fail",
      detail: result.error,
      fix: unreachableFix(serviceName[service], base, urlSetting[service]),
    };
  }
  if (result.status === 401 || result.status === 403) {
    return {
      name,
      status: "fail",
      detail: `HTTP ${result.status} ${upstreamMessage(result.json)}`,
      fix: keyFix,
    };
  }
  if (result.status !== 200) {
    return {
      name,
      status: "fail",
      detail: `HTTP ${result.status} ${upstreamMessage(result.json)}`.trim(),
      fix: `${
        serviceName[service]
      } is having trouble; try again in a few minutes (https://status.opencode.ai).`,
    };
  }
  const count = (result.json as { data?: unknown[] } | undefined)?.data?.length ?? 0;
  return { name, status: "ok", detail: `${count} model${count === 1 ? "" : "s"} listed in ${result.ms} ms` };
}

export async function checkGoUsage(config: Config, fetchFn: typeof fetch, key: string): Promise<CheckResult> {
  const base = config.OPENCODE_GO_URL.replace(/\/+$/, "");
  const name = "OpenCode Go: usage limits (GET /usage)";
  const result = await probe(fetchFn, `${base}/usage`, key);
  if ("error" in result) {
    return {
      name,
      status: "fail",
      detail: result.error,
      fix: unreachableFix("OpenCode Go", base, "OPENCODE_GO_URL"),
    };
  }
  if (result.status === 401) {
    return { name, status: "fail", detail: `HTTP 401 ${upstreamMessage(result.json)}`, fix: keyFix };
  }
  if (result.status === 403) {
    return {
      name,
      status: "warn",
      detail: `HTTP 403 ${upstreamMessage(result.json)}`,
      fix: "This key has no Go subscription: subscribe at https://opencode.ai/go, or use Zen models " +
        "(opencode/<id>, billed to your balance).",
    };
  }
  const windows = result.status === 200 ? parseGoUsage(result.json) : undefined;
  if (!windows) {
    return {
      name,
      status: "warn",
      detail: `HTTP ${result.status}: not the usage shape the gateway knows`,
      fix: "Usage cannot be shown; requests are not affected.",
    };
  }
  const detail = windows.map((window) => `${window.name} ${window.percent ?? "?"}%`).join(", ");
  const blocked = windows.filter((window) => window.blocked);
  if (blocked.length > 0) {
    return {
      name,
      status: "fail",
      detail: `${detail}; limit reached: ${blocked.map((window) => window.name).join(", ")}`,
      fix: `Go answers 429 until ${blocked.map((window) => window.resetsAt ?? "the reset").join(", ")}. ` +
        'Wait, enable "Use balance" in the OpenCode console, or use Zen models meanwhile.',
    };
  }
  return { name, status: "ok", detail: detail || "no windows reported" };
}

export function checkCatalog(data: CatalogData, nowMs: number): CheckResult {
  const name = "Model catalog";
  const counts = `Go ${data.services.go.length}, Zen ${data.services.zen.length} models`;
  if (data.source === "snapshot") {
    return {
      name,
      status: "warn",
      detail: `bundled snapshot (models.dev unreachable); ${counts}`,
      fix:
        "Models newer than the snapshot are unknown until models.dev (MODELS_DEV_URL) answers; check the " +
        "network, or run `deno task catalog:update`.",
    };
  }
  const age = describeAge(data.fetchedAt, nowMs);
  const live = (["go", "zen"] as const).filter((service) => !data.live[service]);
  if (live.length > 0) {
    return {
      name,
      status: "warn",
      detail: `models.dev, ${age} old; ${counts}; no live list from ${live.join(", ")}`,
      fix:
        "Without a service's live list, models it dropped may still be offered; see its GET /models check.",
    };
  }
  return { name, status: "ok", detail: `models.dev, ${age} old; ${counts}` };
}

export async function checkKv(
  config: Config,
  kv: Deno.Kv | undefined,
  kvError?: string,
): Promise<CheckResult> {
  const name = "Deno KV (catalog cache)";
  const where = config.KV_PATH ? `KV_PATH=${config.KV_PATH}` : "Deno's default location";
  const fix = "Set KV_PATH to a file in a writable directory (or unset it), and keep --unstable-kv / " +
    'deno.json "unstable": ["kv"].';
  if (!kv) {
    return { name, status: "fail", detail: `cannot open (${where}): ${kvError ?? "unknown error"}`, fix };
  }
  const key = ["doctor", crypto.randomUUID()];
  try {
    await kv.set(key, 1, { expireIn: 60_000 });
    const read = await kv.get(key);
    await kv.delete(key);
    if (read.value !== 1) {
      return { name, status: "fail", detail: `${where}: a written value did not read back`, fix };
    }
    return { name, status: "ok", detail: `read and write work (${where})` };
  } catch (error) {
    return { name, status: "fail", detail: `${where}: ${(error as Error).message}`, fix };
  }
}

/** The gateway Claude Code is set up for answers at all (its warm-up probe, `GET /api/hello`). */
export async function checkGatewayAnswers(
  fetchFn: typeof fetch,
  url: string,
  source: string,
): Promise<CheckResult> {
  const name = `Gateway Claude Code uses (${source})`;
  const result = await probe(fetchFn, `${url.replace(/\/+$/, "")}/api/hello`, "");
  if (!("error" in result) && result.status === 200) {
    return { name, status: "ok", detail: `${url} answers in ${result.ms} ms` };
  }
  return {
    name,
    status: "warn",
    detail: "error" in result ? `${url}: ${result.error}` : `${url} answered HTTP ${result.status}`,
    fix: `Nothing answers at ${url}: start the gateway with \`deno task start\` (or fix the URL with ` +
      "`deno task setup claude-code --url …`).",
  };
}
