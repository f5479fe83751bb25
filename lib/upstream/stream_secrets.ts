/** The keys one exchange carries, to be kept out of the upstream's mid-stream error events. */
import type { Config } from "../config.ts";
import { configuredSecrets } from "../providers/provider_request.ts";
import { requestSecrets } from "./upstream_fault.ts";

/** The client's credentials, the server's OPENCODE_API_KEY, the call's upstream key and provider keys. */
export function streamSecrets(config: Config, clientHeaders: Headers, apiKey: string): string[] {
  return requestSecrets(clientHeaders, [config.OPENCODE_API_KEY, apiKey, ...configuredSecrets(config)]);
}
