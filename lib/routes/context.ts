/** What the gateway hands every route handler. */
import type { Catalog } from "../catalog/types.ts";
import type { Config } from "../config.ts";

export interface RouteContext {
  config: Config;
  catalog: Catalog;
  fetch: typeof fetch;
  /** From the `/go`, `/zen` or `/<provider>` prefix; undefined on the default route. */
  service?: string;
  /** From the model-in-path form `/go/<model>/v1/messages` (Claude Desktop). */
  pathModel?: string;
}

export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;
