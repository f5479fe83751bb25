/**
 * The doctor's model checks: every model the user's setup names must resolve, and one tiny request per
 * service and family among them goes through the gateway itself (resolution, translation, upstream).
 */
import type { Catalog, ResolvedModel } from "../catalog/types.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import { endpointByFamily } from "../catalog/endpoint_path.ts";
import { type CheckResult, keyFix } from "./check_result.ts";

const serviceName = { go: "OpenCode Go", zen: "OpenCode Zen" } as const;

/** A model name and where it comes from (`ANTHROPIC_MODEL in ~/.claude/settings.json`, `MODEL_HAIKU`). */
export interface WantedModel {
  name: string;
  source: string;
}

export type GatewayHandler = (request: Request) => Promise<Response>;

export async function checkModels(
  wanted: WantedModel[],
  catalog: Catalog,
  gateway: GatewayHandler,
  key: string | undefined,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const groups = new Map<string, { name: string; model: ResolvedModel; names: string[] }>();
  for (const { name, source } of dedupe(wanted)) {
    try {
      const model = await catalog.resolve(name);
      const group = `${model.service}/${model.family}`;
      const entry = groups.get(group);
      if (entry) entry.names.push(name);
      else groups.set(group, { name, model, names: [name] });
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      results.push({
        name: `Model ${name} (${source})`,
        status: "fail",
        detail: error.message,
        fix: `Neither Go nor Zen serves ${name}. Pick a model from \`deno task models\` and set it with ` +
          "`deno task setup claude-code --model <id>` (or the MODEL_* variable named above).",
      });
    }
  }
  for (const group of groups.values()) {
    const label = `${serviceName[group.model.service]} ${group.model.family} ` +
      `(${endpointByFamily[group.model.family]}): ${group.names.join(", ")}`;
    if (!key) {
      results.push({ name: label, status: "skip", detail: "no key to send a request with" });
      continue;
    }
    results.push({ ...await tinyRequest(gateway, group.name, key), name: label });
  }
  return results;
}

function dedupe(wanted: WantedModel[]): WantedModel[] {
  const seen = new Map<string, WantedModel>();
  for (const item of wanted) {
    const previous = seen.get(item.name);
    if (previous) previous.source = `${previous.source}, ${item.source}`;
    else seen.set(item.name, { ...item });
  }
  return [...seen.values()];
}

/** One short non-streaming Messages request; the answer's status and error type decide the verdict. */
async function tinyRequest(
  gateway: GatewayHandler,
  model: string,
  key: string,
): Promise<Omit<CheckResult, "name">> {
  const started = performance.now();
  const response = await gateway(
    new Request("http://doctor.invalid/v1/messages", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
        "x-api-key": key,
        "x-claude-code-session-id": `doctor-${crypto.randomUUID()}`,
      },
      body: JSON.stringify({
        model,
        max_tokens: 64,
        messages: [{ role: "user", content: "Reply with the single word OK." }],
      }),
    }),
  );
  const ms = Math.round(performance.now() - started);
  const body = await response.json().catch(() => undefined) as
    | { error?: { type?: string; message?: string }; usage?: { output_tokens?: number } }
    | undefined;
  if (response.ok) {
    return {
      status: "ok",
      detail: `${model} answered in ${ms} ms (${body?.usage?.output_tokens ?? "?"} tokens)`,
    };
  }
  const type = body?.error?.type ?? "error";
  const message = body?.error?.message ?? `HTTP ${response.status}`;
  return {
    status: "fail",
    detail: `${model}: HTTP ${response.status} ${type}: ${message}`,
    fix: fixFor(type, response.headers.get("retry-after")),
  };
}

function fixFor(type: string, retryAfter: string | null): string {
  switch (type) {
    case "authentication_error":
      return keyFix;
    case "rate_limit_error":
      return "A usage or rate limit was hit" + (retryAfter ? ` (retry after ${retryAfter} s)` : "") +
        ': wait for the reset, enable "Use balance" in the OpenCode console, or choose another model.';
    case "billing_error":
      return "Zen needs balance or a higher monthly limit: top up in the OpenCode console.";
    case "permission_error":
      return "The key may not use this model (region or plan); enable the region in the OpenCode console or " +
        "choose another model.";
    case "not_found_error":
      return "The service does not serve this model (any more): pick one from `deno task models`.";
    case "invalid_request_error":
      return "The service refused even a minimal request for this model: choose another model, and report " +
        "the message above as a gateway bug.";
    default:
      return "The service failed or timed out: try again in a few minutes, or set MODEL_FALLBACKS so requests " +
        "move to another model.";
  }
}
