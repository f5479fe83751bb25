/**
 * Splits `/zen/v1/messages`, `/go/<model>/v1/messages`, `/v1/models/<id>` into service, model and endpoint.
 * A configured provider's name is a prefix too (`/local/v1/messages`).
 */

export interface ParsedPath {
  /** `go`, `zen`, or a configured provider's name. */
  service?: string;
  pathModel?: string;
  /** The path from `/v1/` on, e.g. `/v1/messages`. */
  endpoint: string;
  /** The model segment as sent when it is not valid percent-encoding (`%E0%A4%A`): the request is a 400. */
  malformedModel?: string;
}

const pattern = /^(?:\/(go|zen)(?:\/([^/]+))?)?(\/v1\/.*|\/api\/hello|\/?)$/;
const patterns = new Map<string, RegExp>();

/**
 * A base URL given with `/v1` (`ANTHROPIC_BASE_URL=…/v1`) makes clients ask for `/v1/v1/messages` and
 * `/v1/api/hello`: the doubled prefix is served like the single one, on every route and prefix.
 */
const doubledV1 = /^((?:\/[^/]+(?:\/[^/]+)?)?\/)v1\/(?=v1(\/|$)|api\/hello$)/;
const doubledV1Bare = /^\/v1\/(?=v1(\/|$)|api\/hello$)/;

/** `providers`: the configured provider names, which are route prefixes like `go` and `zen`. */
export function parsePath(pathname: string, providers: readonly string[] = []): ParsedPath | undefined {
  const trimmed = pathname.replace(/\/+$/, "");
  const single = doubledV1Bare.test(trimmed)
    ? trimmed.replace(doubledV1Bare, "/")
    : trimmed.replace(doubledV1, "$1");
  const match = patternFor(providers).exec(single || "/");
  if (!match) return undefined;
  const [, service, model, endpoint] = match;
  // `/go/<model>` names a model but no endpoint: no route (only a bare prefix is the health route).
  if (model && (endpoint === "" || endpoint === "/")) return undefined;
  const parsed: ParsedPath = {
    service,
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

function patternFor(providers: readonly string[]): RegExp {
  if (providers.length === 0) return pattern;
  const key = providers.join("\n");
  let built = patterns.get(key);
  if (!built) {
    const names = ["go", "zen", ...providers.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))];
    built = new RegExp(`^(?:\\/(${names.join("|")})(?:\\/([^/]+))?)?(\\/v1\\/.*|\\/api\\/hello|\\/?)$`);
    patterns.set(key, built);
  }
  return built;
}
