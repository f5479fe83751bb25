/**
 * `createGateway(config, deps)` → a plain `(Request) => Promise<Response>` handler: no sockets, so tests call
 * it directly and Deno Deploy, `deno run` and `deno compile` share it. Dispatch only; routes do the work.
 */
import { createCatalog } from "./catalog/catalog.ts";
import { quoteClientText } from "./catalog/model_name_limits.ts";
import type { Catalog } from "./catalog/types.ts";
import type { Config } from "./config.ts";
import { GatewayError, toGatewayError } from "./errors/gateway_error.ts";
import { clientWriters } from "./formats/registry.ts";
import { bodyDeadlineExpired, setBodyDeadline } from "./http/body_deadline.ts";
import { clientFormatOf } from "./http/client_format.ts";
import { createLogger, type LogSink } from "./log/logger.ts";
import { withRequestLog } from "./http/with_request_log.ts";
import { handleChatCompletions } from "./routes/chat_completions.ts";
import type { RouteContext, RouteHandler } from "./routes/context.ts";
import { handleCountTokens } from "./routes/count_tokens.ts";
import { handleMessages } from "./routes/messages.ts";
import { handleGetModel, handleListModels } from "./routes/models.ts";
import { parsePath } from "./routes/parse_path.ts";
import { handleResponses } from "./routes/responses.ts";
import type { ResolveDns } from "./upstream/resolve_override.ts";
import { FetchCache } from "./web/fetch_cache.ts";
import { handleTestConnection } from "./routes/test_connection.ts";
import { RequestStats } from "./status/request_stats.ts";
import { createStatusRoutes } from "./status/status_routes.ts";
import { withRequestStats } from "./status/with_request_stats.ts";
import { withRequestSpan } from "./status/with_request_span.ts";

export interface GatewayDeps {
  /** Upstream fetch; tests pass a fake. */
  fetch?: typeof fetch;
  /** Deno KV for the catalog cache; `Deno.openKv(":memory:")` in tests. */
  kv?: Deno.Kv;
  /** A ready catalog (tests); otherwise one is built from config, kv and fetch. */
  catalog?: Catalog;
  /** Where the JSON log lines go (one per request); stderr by default. */
  log?: LogSink;
  /** Resolves an x-upstream-url host before it is checked (tests pass a fake); Deno.resolveDns by default. */
  resolveDns?: ResolveDns;
  /** The per-process counters behind the status page and /metrics (tests pass their own to read them). */
  stats?: RequestStats;
  /** Treat the process as running on Deno Deploy (status page access); detected from the env by default. */
  deployed?: boolean;
  /** The fetch cache of web_fetch and URL PDFs (tests pass one with a fake clock); one per gateway by default. */
  webFetchCache?: FetchCache;
}

interface Route {
  method: string;
  /** Matches the endpoint part of the path (after any `/go`, `/zen`, `/go/<model>` prefix). */
  pattern: RegExp;
  handler: RouteHandler;
}

const routes: Route[] = [
  { method: "POST", pattern: /^\/v1\/messages$/, handler: handleMessages },
  { method: "POST", pattern: /^\/v1\/chat\/completions$/, handler: handleChatCompletions },
  { method: "POST", pattern: /^\/v1\/responses$/, handler: handleResponses },
  { method: "POST", pattern: /^\/v1\/messages\/count_tokens$/, handler: handleCountTokens },
  { method: "GET", pattern: /^\/v1\/models$/, handler: handleListModels },
  { method: "GET", pattern: /^\/v1\/models\/.+$/, handler: handleGetModel },
];

export function createGateway(
  config: Config,
  deps: GatewayDeps = {},
): (request: Request) => Promise<Response> {
  const fetchUpstream = deps.fetch ?? globalThis.fetch;
  const logger = createLogger(config, deps.log);
  const catalog = deps.catalog ??
    createCatalog(config, { kv: deps.kv, fetch: fetchUpstream, log: logger.log });
  // Configured providers are route prefixes (`/local/v1/messages`) like /go and /zen.
  const providerNames = config.providers.map((provider) => provider.name);
  const webFetchCache = deps.webFetchCache ??
    new FetchCache({ maxBytes: config.WEB_FETCH_CACHE_BYTES, ttlMs: config.WEB_FETCH_CACHE_TTL_MS });
  const dispatch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === "/test-connection") {
      return await handleTestConnection(request, {
        config,
        catalog,
        fetch: fetchUpstream,
        kv: deps.kv,
        // Its probe requests are real upstream calls: counted and traced like any other.
        gateway: observed,
      });
    }
    const parsed = parsePath(url.pathname, providerNames);
    if (parsed?.endpoint === "/api/hello" || (parsed?.endpoint === "/" && request.method !== "POST")) {
      // Claude Code's connection-warming probe (HEAD /api/hello) and a health check.
      return Response.json({ ok: true, name: "opencode-bridge" });
    }
    const sameEndpoint = parsed ? routes.filter((route) => route.pattern.test(parsed.endpoint)) : [];
    const route = sameEndpoint.find((candidate) => candidate.method === request.method);
    const client = clientWriters[clientFormatOf(request, parsed?.endpoint ?? "")];
    if (!parsed || sameEndpoint.length === 0) {
      return client.renderError(
        new GatewayError(
          "not_found_error",
          `Not found: ${request.method} ${quoteClientText(url.pathname, 200)}`,
        ),
      );
    }
    if (parsed.malformedModel !== undefined) {
      return client.renderError(
        new GatewayError(
          "invalid_request_error",
          `Malformed percent-encoding in the model path segment ${quoteClientText(parsed.malformedModel)}`,
        ),
      );
    }
    if (!route) {
      const allow = sameEndpoint.map((candidate) => candidate.method).join(", ");
      const failure = client.renderError(
        new GatewayError("invalid_request_error", `Method ${request.method} not allowed: use ${allow}`, {
          status: 405,
        }),
      );
      failure.headers.set("allow", allow);
      return failure;
    }
    const context: RouteContext = {
      config,
      catalog,
      fetch: fetchUpstream,
      resolveDns: deps.resolveDns,
      service: parsed.service,
      pathModel: parsed.pathModel,
      client,
      webFetchCache,
    };
    setBodyDeadline(request, config.BODY_READ_TIMEOUT_MS);
    const response = await route.handler(request, context);
    // A body cut by its deadline leaves the connection mid-request: it cannot be reused.
    if (bodyDeadlineExpired(request)) response.headers.set("connection", "close");
    return response;
  };
  const stats = deps.stats ?? new RequestStats();
  const statusRoutes = createStatusRoutes({
    config,
    fetch: fetchUpstream,
    catalog,
    stats,
    deployed: deps.deployed,
  });
  // One JSON log line per request, a `request-id` header, and a rendered 500 for anything a route let escape.
  const logged = withRequestLog(dispatch, {
    config,
    logger,
    renderFailure: (error, request) => {
      const endpoint = parsePath(new URL(request.url).pathname, providerNames)?.endpoint ?? "";
      return clientWriters[clientFormatOf(request, endpoint)].renderError(toGatewayError(error));
    },
  });
  // Counted and traced once the record is final; the status pages themselves are neither.
  const observed = withRequestSpan(withRequestStats(logged, stats));
  return (request) => statusRoutes(request) ?? observed(request);
}
