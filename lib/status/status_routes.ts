/**
 * The gateway's own pages, answered before the API routes and outside the request log (a scraper polling
 * /metrics must not fill the log or the counters): GET /health (always open), the status page at GET /
 * (for a browser: `Accept: text/html`), its data at /status.json (or `Accept: application/json` on /),
 * GET /metrics, and the sign-in form. Any other request, Claude Code's HEAD /api/hello and a plain GET /
 * probe included, is left to the gateway as before.
 */
import type { CachedCatalog } from "../catalog/catalog.ts";
import type { Catalog } from "../catalog/types.ts";
import type { Config } from "../config.ts";
import { concatBytes } from "../stream/concat_bytes.ts";
import { createGoUsagePoller } from "./go_usage.ts";
import { PAGE_HEADERS, renderLoginPage } from "./page_style.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "./render_metrics.ts";
import { renderStatusPage } from "./render_status_page.ts";
import type { RequestStats } from "./request_stats.ts";
import { createServiceProbe } from "./service_probe.ts";
import { type Access, createStatusAccess, signOutCookie } from "./status_access.ts";
import { statusSnapshot, version } from "./status_snapshot.ts";

export interface StatusRouteDeps {
  config: Config;
  fetch: typeof fetch;
  catalog: Catalog;
  stats: RequestStats;
  /** Overrides the Deno Deploy detection (tests). */
  deployed?: boolean;
}

/** How long a render waits for a service probe or the usage poll before showing what it has. */
const RENDER_WAIT_MS = 2_000;
/** A login form is a few hundred bytes; anything larger is refused unread. */
const MAX_FORM_BYTES = 4_096;

export function createStatusRoutes(
  deps: StatusRouteDeps,
): (request: Request) => Promise<Response> | undefined {
  const { config, stats } = deps;
  const access = createStatusAccess(config, { deployed: deps.deployed });
  const services = createServiceProbe(config, deps.fetch);
  const usage = createGoUsagePoller(config, deps.fetch);
  const data = (deps.catalog as Partial<CachedCatalog>).data;
  const snapshot = () =>
    statusSnapshot({
      stats,
      services: () => services.within(RENDER_WAIT_MS),
      catalog: data && (() => data.call(deps.catalog)),
      usage: usage && (() => usage.within(RENDER_WAIT_MS)),
    });

  const guarded = async (request: Request, html: boolean, render: (access: Access) => Promise<Response>) => {
    const granted = await access.check(request);
    if (granted) {
      try {
        return await render(granted);
      } catch (error) {
        // A bug in the page must not look like the gateway being down: say what failed, in plain text.
        const message = `Status page failed: ${(error as Error)?.message ?? error}`;
        return new Response(message, {
          status: 500,
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
      }
    }
    if (html) {
      const body = access.locked ? lockedPage(access.locked) : renderLoginPage();
      return new Response(body, { status: access.locked ? 403 : 401, headers: PAGE_HEADERS });
    }
    return Response.json({
      error: {
        type: "authentication_error",
        message: access.locked ??
          "The status data needs a gateway key: Basic auth (key as password), Bearer or x-api-key",
      },
    }, {
      status: access.locked ? 403 : 401,
      headers: access.locked
        ? {}
        : { "www-authenticate": 'Basic realm="opencode-bridge status", charset="UTF-8"' },
    });
  };

  return (request) => {
    const { pathname } = new URL(request.url);
    const method = request.method;
    const accept = request.headers.get("accept") ?? "";
    const wantsHtml = accept.includes("text/html");
    if (pathname === "/health" && (method === "GET" || method === "HEAD")) {
      return Promise.resolve(Response.json({
        ok: true,
        name: "opencode-bridge",
        version,
        uptime_seconds: Math.round((Date.now() - stats.startedAt) / 1000),
      }, { headers: { "cache-control": "no-store" } }));
    }
    if (method === "GET" && pathname === "/metrics") {
      return guarded(request, false, () =>
        Promise.resolve(
          new Response(renderMetrics(stats, version), {
            headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
          }),
        ));
    }
    const jsonOnRoot = pathname === "/" && !wantsHtml && accept.includes("application/json");
    if (method === "GET" && (pathname === "/status.json" || jsonOnRoot)) {
      return guarded(
        request,
        false,
        async () => Response.json(await snapshot(), { headers: { "cache-control": "no-store" } }),
      );
    }
    if (method === "GET" && pathname === "/" && wantsHtml) {
      return guarded(
        request,
        true,
        async (granted) =>
          new Response(renderStatusPage(await snapshot(), { signedIn: granted === "cookie" }), {
            headers: PAGE_HEADERS,
          }),
      );
    }
    if (pathname === "/login" && (method === "GET" || method === "POST")) return login(request);
    if (pathname === "/logout" && method === "POST" && sameOrigin(request)) {
      return Promise.resolve(redirect(signOutCookie()));
    }
    return undefined;
  };

  async function login(request: Request): Promise<Response> {
    if (request.method === "GET" || access.locked) {
      if (access.locked) {
        return new Response(lockedPage(access.locked), { status: 403, headers: PAGE_HEADERS });
      }
      return new Response(renderLoginPage(), { headers: PAGE_HEADERS });
    }
    if (!sameOrigin(request)) {
      return new Response(renderLoginPage("Sign in from this gateway's own page."), {
        status: 403,
        headers: PAGE_HEADERS,
      });
    }
    const text = await readSmallBody(request);
    if (text === undefined) {
      return new Response(renderLoginPage("That form is too large."), { status: 413, headers: PAGE_HEADERS });
    }
    const key = new URLSearchParams(text).get("key") ?? "";
    if (!key || !access.isKey(key)) {
      return new Response(renderLoginPage("That is not one of this gateway's keys."), {
        status: 401,
        headers: PAGE_HEADERS,
      });
    }
    const secure = new URL(request.url).protocol === "https:" ||
      request.headers.get("x-forwarded-proto") === "https";
    return redirect(await access.signInCookie(key, secure));
  }
}

/** A form posted from another site (the browser names it in Origin) is refused: no login or logout CSRF. */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return origin === null;
  try {
    return new URL(origin).host === (request.headers.get("host") ?? new URL(request.url).host);
  } catch {
    return false;
  }
}

/** The body as text, or undefined past MAX_FORM_BYTES (counted while reading, whatever content-length says). */
async function readSmallBody(request: Request): Promise<string | undefined> {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_FORM_BYTES) return undefined;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.length;
      if (size > MAX_FORM_BYTES) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(read.value);
    }
  } catch {
    return "";
  }
  return new TextDecoder().decode(concatBytes(chunks));
}

function redirect(cookie: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location: "/", "set-cookie": cookie, "cache-control": "no-store" },
  });
}

function lockedPage(reason: string): string {
  return renderLoginPage(`The status page is locked: ${reason}.`).replace(/<label[\s\S]*?<\/button>\n/, "");
}
