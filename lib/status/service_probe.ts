/**
 * Reachability and latency of each OpenCode service (`GET {base}/models`, no key), polled with a cache so a
 * status page refreshing every few seconds costs the services one request a minute.
 */
import type { Config } from "../config.ts";
import { cachedPoll, fetchWithin } from "./cached_poll.ts";

export interface ServiceStatus {
  service: "go" | "zen";
  url: string;
  reachable: boolean;
  /** HTTP status of the probe, when one came back. */
  httpStatus?: number;
  latencyMs?: number;
  /** Why it is unreachable, in a few words. */
  problem?: string;
  /** ISO time of the probe. */
  checkedAt: string;
}

const PROBE_TIMEOUT_MS = 5_000;
const PROBE_EVERY_MS = 60_000;
const USER_AGENT = "opencode-bridge (status probe)";

export function createServiceProbe(
  config: Pick<Config, "OPENCODE_GO_URL" | "OPENCODE_ZEN_URL">,
  fetcher: typeof fetch,
  now: () => number = Date.now,
) {
  const probe = async (service: "go" | "zen", base: string): Promise<ServiceStatus> => {
    const url = `${base.replace(/\/+$/, "")}/models`;
    const started = performance.now();
    const checkedAt = new Date(now()).toISOString();
    try {
      const response = await fetchWithin(
        fetcher,
        url,
        { headers: { "user-agent": USER_AGENT } },
        PROBE_TIMEOUT_MS,
      );
      const latencyMs = Math.round(performance.now() - started);
      const reachable = response.status < 500;
      return {
        service,
        url: base,
        reachable,
        httpStatus: response.status,
        latencyMs,
        problem: reachable ? undefined : `HTTP ${response.status}`,
        checkedAt,
      };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      return {
        service,
        url: base,
        reachable: false,
        problem: timedOut
          ? `no answer within ${PROBE_TIMEOUT_MS} ms`
          : (error as Error)?.message ?? String(error),
        checkedAt,
      };
    }
  };
  return cachedPoll(
    () => Promise.all([probe("go", config.OPENCODE_GO_URL), probe("zen", config.OPENCODE_ZEN_URL)]),
    () => PROBE_EVERY_MS,
    now,
  );
}
