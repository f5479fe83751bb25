/** Splits `/zen/v1/messages`, `/go/<model>/v1/messages`, `/v1/models/<id>` into service, model and endpoint. */
import type { Service } from "../catalog/types.ts";

export interface ParsedPath {
  service?: Service;
  pathModel?: string;
  /** The path from `/v1/` on, e.g. `/v1/messages`. */
  endpoint: string;
  /** The model segment as sent when it is not valid percent-encoding (`%E0%A4%A`): the request is a 400. */
  malformedModel?: string;
}

const pattern = /^(?:\/(go|zen)(?:\/([^/]+))?)?(\/v1\/.*|\/api\/hello|\/?)$/;

/**
 * A base URL given with `/v1` (`ANTHROPIC_BASE_URL=…/v1`) makes clients ask for `/v1/v1/messages` and
 * `/v1/api/hello`: the doubled prefix is served like the single one, on every route.
 */
const doubledV1 = /^((?:\/(?:go|zen)(?:\/[^/]+)?)?\/)v1\/(?=v1(\/|$)|api\/hello$)/;

export function parsePath(pathname: string): ParsedPath | undefined {
  const match = pattern.exec(pathname.replace(/\/+$/, "").replace(doubledV1, "$1") || "/");
  if (!match) return undefined;
  const [, service, model, endpoint] = match;
  const parsed: ParsedPath = {
    service: service as Service | undefined,
    pathModel: undefined,
    endpoint: endpoint === "" ? "/" : endpoint,
  };
  if (model) {
    try {
      parsed.pathModel = decodeURIComponent(model);
    } catch {
      // URIError: a broken escape. Reported by the gateway as a 400, never thrown (that was a bare 500).
      parsed.malformedModel = model;
    }
  }
  return parsed;
}
