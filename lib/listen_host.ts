/**
 * Where the gateway listens. LISTEN_HOST is ours; HOSTNAME is honoured only when LISTEN_HOST is unset, because
 * Docker and Kubernetes set HOSTNAME to the container's name, which is rarely the address meant.
 */

export const DEFAULT_LISTEN_HOST = "127.0.0.1";

export interface ListenHost {
  host: string;
  /** The setting the address came from, for messages. */
  setting: "LISTEN_HOST" | "HOSTNAME" | "default";
  /** Set when the legacy HOSTNAME decided the address. */
  warning?: string;
}

export function listenHost(config: { LISTEN_HOST?: string; HOSTNAME?: string }): ListenHost {
  if (config.LISTEN_HOST) return { host: config.LISTEN_HOST, setting: "LISTEN_HOST" };
  if (!config.HOSTNAME) return { host: DEFAULT_LISTEN_HOST, setting: "default" };
  return {
    host: config.HOSTNAME,
    setting: "HOSTNAME",
    warning:
      `HOSTNAME=${config.HOSTNAME.slice(0, 64)} is used as the listen address because LISTEN_HOST is ` +
      `unset. Docker and Kubernetes set HOSTNAME to the container's name; set LISTEN_HOST (for example ` +
      `0.0.0.0 in a container, 127.0.0.1 on a workstation) to choose the address explicitly.`,
  };
}
