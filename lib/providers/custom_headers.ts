/**
 * `CUSTOM_HEADER_<NAME>=value` settings (env or CONFIG_FILE) → extra headers for the OpenCode services:
 * `CUSTOM_HEADER_X_TITLE=my-gateway` sends `x-title: my-gateway`. Variable names cannot hold `-`, so `_` is one.
 */
const prefix = "CUSTOM_HEADER_";

export function customHeadersFrom(variables: Record<string, string | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (!key.startsWith(prefix) || key.length === prefix.length || value === undefined || value === "") {
      continue;
    }
    headers[key.slice(prefix.length).replaceAll("_", "-").toLowerCase()] = value;
  }
  return headers;
}
