/**
 * The lines printed under "listening on …": where requests go, whose key pays for them, and what the user
 * does next. Never prints a key.
 */
import type { Config } from "../config.ts";

/** The address a client on this machine uses: a wildcard listen address is reached through loopback. */
export function clientUrl(hostname: string, port: number): string {
  const host = hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

export function startupSummary(config: Config, address: { hostname: string; port: number }): string[] {
  const url = clientUrl(address.hostname, address.port);
  const lines = [
    `forwards to OpenCode Go ${config.OPENCODE_GO_URL} and OpenCode Zen ${config.OPENCODE_ZEN_URL}`,
  ];
  if (config.GATEWAY_KEYS?.length) {
    lines.push(
      `keys: the server's OPENCODE_API_KEY pays; clients must send one of the ${config.GATEWAY_KEYS.length} ` +
        `GATEWAY_KEYS`,
    );
  } else if (config.OPENCODE_API_KEY) {
    lines.push("keys: the server's OPENCODE_API_KEY pays for every request (clients may send any key)");
  } else {
    lines.push("keys: none on the server; each client's own OpenCode key passes through to OpenCode");
  }
  const token = config.GATEWAY_KEYS?.length
    ? "<a gateway key>"
    : config.OPENCODE_API_KEY
    ? "<any text>"
    : "<your OpenCode key>";
  lines.push(
    `next: run \`deno task setup claude-code\`, or export ANTHROPIC_BASE_URL=${url} ` +
      `ANTHROPIC_AUTH_TOKEN=${token}; check with \`deno task doctor\``,
  );
  return lines;
}
