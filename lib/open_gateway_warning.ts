/** Whether the gateway listens beyond this machine while spending a server-held key for whoever reaches it. */
import type { Config } from "./config.ts";
import { listenHost } from "./listen_host.ts";

export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The startup warning for a gateway that listens beyond loopback and spends the server's OPENCODE_API_KEY (or a
 * configured provider's key) for anyone who reaches it (no GATEWAY_KEYS). Only a warning: a private network may
 * be intended.
 */
export function openGatewayWarning(config: Config): string | undefined {
  const { host, setting } = listenHost(config);
  // Configured providers' own keys are the server's to spend too.
  const spent = [
    ...(config.OPENCODE_API_KEY ? ["the server's OPENCODE_API_KEY"] : []),
    ...config.providers.filter((provider) => provider.apiKey).map((provider) =>
      `provider ${provider.name}'s key`
    ),
  ];
  if (isLoopback(host) || spent.length === 0 || config.GATEWAY_KEYS?.length) {
    return undefined;
  }
  return `WARNING: ${setting}=${host} is not a loopback address and GATEWAY_KEYS is unset: anyone ` +
    `who can reach this port can spend ${spent.join(", ")}. Set GATEWAY_KEYS unless the network ` +
    `is private.`;
}
