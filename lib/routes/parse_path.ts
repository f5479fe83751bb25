/** Splits `/zen/v1/messages`, `/go/<model>/v1/messages`, `/v1/models/<id>` into service, model and endpoint. */
import type { Service } from "../catalog/types.ts";

export interface ParsedPath {
  service?: Service;
  pathModel?: string;
  /** The path from `/v1/` on, e.g. `/v1/messages`. */
  endpoint: string;
}

const pattern = /^(?:\/(go|zen)(?:\/([^/]+))?)?(\/v1\/.*|\/api\/hello|\/?)$/;

export function parsePath(pathname: string): ParsedPath | undefined {
  const match = pattern.exec(pathname.replace(/\/+$/, "") || "/");
  if (!match) return undefined;
  const [, service, model, endpoint] = match;
  return {
    service: service as Service | undefined,
    pathModel: model ? decodeURIComponent(model) : undefined,
    endpoint: endpoint === "" ? "/" : endpoint,
  };
}
