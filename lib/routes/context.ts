/** What the gateway hands every route handler. */
import type { Catalog } from "../catalog/types.ts";
import type { Config } from "../config.ts";
import type { ClientWriter } from "../hub/wire_format.ts";
import type { ResolveDns } from "../upstream/resolve_override.ts";
import type { FetchCache } from "../web/fetch_cache.ts";

export interface RouteContext {
  config: Config;
  catalog: Catalog;
  fetch: typeof fetch;
  /** For x-upstream-url host names; Deno.resolveDns when absent. */
  resolveDns?: ResolveDns;
  /** From the `/go`, `/zen` or `/<provider>` prefix; undefined on the default route. */
  service?: string;
  /** From the model-in-path form `/go/<model>/v1/messages` (Claude Desktop). */
  pathModel?: string;
  /** The client's format as clientFormatOf decided it: errors are rendered with this writer. */
  client: ClientWriter;
  /** The gateway's fetch cache (web_fetch pages, URL PDFs, robots.txt): one per gateway. */
  webFetchCache: FetchCache;
}

export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;
