/**
 * `GET /test-connection`: the doctor's checks as JSON, from the server's side. With GATEWAY_KEYS the caller
 * needs a gateway key (the checks then use the server's OPENCODE_API_KEY); otherwise the server's key, else
 * the caller's own key, is checked. `?model=<id>` (repeatable) picks the models; default: MODEL_*.
 */
import type { CachedCatalog } from "../catalog/catalog.ts";
import type { Catalog } from "../catalog/types.ts";
import { anyFailed } from "../doctor/check_result.ts";
import type { GatewayHandler, WantedModel } from "../doctor/model_checks.ts";
import { runDoctor } from "../doctor/run_doctor.ts";
import type { Config } from "../config.ts";
import { toGatewayError } from "../errors/gateway_error.ts";
import { renderError } from "../errors/render_error.ts";
import { clientKey, resolveUpstreamKey } from "../http/auth.ts";

export interface TestConnectionContext {
  config: Config;
  catalog: Catalog;
  fetch: typeof fetch;
  kv?: Deno.Kv;
  /** The gateway's own handler: the tiny model requests go through it with the caller's credentials. */
  gateway: GatewayHandler;
}

export async function handleTestConnection(
  request: Request,
  context: TestConnectionContext,
): Promise<Response> {
  const { config } = context;
  if (request.method !== "GET") {
    return Response.json({ error: { type: "invalid_request_error", message: "Use GET /test-connection" } }, {
      status: 405,
      headers: { allow: "GET" },
    });
  }
  let key: string | undefined;
  let keySource: string;
  try {
    if (config.GATEWAY_KEYS?.length) {
      key = resolveUpstreamKey(request.headers, config);
      keySource = "the server's OPENCODE_API_KEY";
    } else {
      key = config.OPENCODE_API_KEY ?? clientKey(request.headers);
      keySource = config.OPENCODE_API_KEY ? "the server's OPENCODE_API_KEY" : "your request (passed through)";
    }
  } catch (error) {
    return renderError(toGatewayError(error), "anthropic");
  }
  const query = new URL(request.url).searchParams.getAll("model").filter(Boolean);
  const wanted: WantedModel[] = query.length
    ? query.map((name) => ({ name, source: "?model=" }))
    : (["MODEL_SONNET", "MODEL_OPUS", "MODEL_HAIKU"] as const).map((setting) => ({
      name: config[setting],
      source: setting,
    }));
  // The tiny requests carry the caller's own credential, so they pass the same key rules as any request.
  const credential = clientKey(request.headers) ?? key;
  const gateway: GatewayHandler = (inner) => {
    if (credential) inner.headers.set("x-api-key", credential);
    return context.gateway(inner);
  };
  const cached = context.catalog as Partial<CachedCatalog>;
  const checks = await runDoctor({
    config,
    key,
    keySource,
    wanted,
    fetch: context.fetch,
    catalog: context.catalog,
    catalogData: cached.data ? () => cached.data!() : undefined,
    kv: context.kv,
    kvError: context.kv ? undefined : "the gateway runs without KV",
    gateway,
  });
  const ok = !anyFailed(checks);
  // 503 on a failed check: an uptime monitor alerts on the status alone; the body says which check failed.
  return Response.json({ ok, checks }, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
