/** What a relay needs: one fitted request, the resolved call, the client's writer and its own request. */
import type { Config } from "./config.ts";
import type { ClientWriter, RelayRequest, UpstreamCall } from "./hub/wire_format.ts";
import type { ResolveDns } from "./upstream/resolve_override.ts";
import type { SendUpstreamOptions } from "./upstream/send_upstream.ts";
import type { FetchCache } from "./web/fetch_cache.ts";

export interface RelayOptions {
  config: Config;
  fetch: typeof fetch;
  /** For x-upstream-url host names; Deno.resolveDns when absent. */
  resolveDns?: ResolveDns;
  /** The one request value: the fitted hub request, the stream flag and, for pass-through, the client's JSON. */
  request: RelayRequest;
  call: UpstreamCall;
  client: ClientWriter;
  /** The client's own request: its signal aborts the upstream. */
  clientRequest: Request;
  /** Extra response headers (which service answered, vision re-route…). */
  headers?: Record<string, string>;
  /** Where MODEL_FALLBACKS names resolve (the route's catalog and service); without it none is tried. */
  fallbacks?: SendUpstreamOptions["fallbacks"];
  /** The gateway's fetch cache for emulated web_fetch; absent, nothing is cached. */
  webFetchCache?: FetchCache;
}
