/**
 * The OpenCode Go subscription's usage windows (rolling 5-hour, weekly, monthly) from `GET {go}/usage` with
 * the server's OPENCODE_API_KEY, polled with a cache (never per request). The shape is parsed loosely: the
 * endpoint is young and its fields have changed (reference: opencode.md §11.3).
 */
import { z } from "zod";
import type { Config } from "../config.ts";
import { cachedPoll, fetchWithin } from "./cached_poll.ts";

const windowSchema = z.looseObject({
  status: z.string().nullish(),
  percent: z.number().nullish(),
  resetsAt: z.string().nullish(),
});
const usageBodySchema = z.looseObject({
  usage: z.looseObject({
    rolling: windowSchema.nullish(),
    weekly: windowSchema.nullish(),
    monthly: windowSchema.nullish(),
  }),
});

export interface UsageWindow {
  name: "rolling" | "weekly" | "monthly";
  /** Whole percent of the window used (OpenCode sends `4` for 4 %). */
  percent?: number;
  /** ISO time the window resets. */
  resetsAt?: string;
  /** `ok`, or `rate-limited` once the window is used up. */
  status?: string;
}

export interface GoUsage {
  /** ISO time of the poll. */
  checkedAt: string;
  windows?: UsageWindow[];
  /** Why there are no windows: the key was rejected, the endpoint failed… */
  problem?: string;
}

const OK_EVERY_MS = 5 * 60_000;
const FAILED_EVERY_MS = 60_000;
const TIMEOUT_MS = 5_000;

/** Undefined when the gateway holds no server-side key: the windows belong to whoever's key is used. */
export function createGoUsagePoller(
  config: Pick<Config, "OPENCODE_GO_URL" | "OPENCODE_API_KEY">,
  fetcher: typeof fetch,
  now: () => number = Date.now,
) {
  const key = config.OPENCODE_API_KEY;
  if (!key) return undefined;
  const url = `${config.OPENCODE_GO_URL.replace(/\/+$/, "")}/usage`;
  const load = async (): Promise<GoUsage> => {
    const checkedAt = new Date(now()).toISOString();
    try {
      const response = await fetchWithin(fetcher, url, {
        headers: { authorization: `Bearer ${key}`, "user-agent": "opencode-bridge (usage poll)" },
      }, TIMEOUT_MS);
      if (response.status === 401 || response.status === 403) {
        return {
          checkedAt,
          problem: `the Go usage endpoint rejected the server's key (HTTP ${response.status})`,
        };
      }
      if (!response.ok) {
        return { checkedAt, problem: `the Go usage endpoint answered HTTP ${response.status}` };
      }
      const parsed = usageBodySchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) {
        return { checkedAt, problem: "the Go usage endpoint answered in an unknown shape" };
      }
      const windows: UsageWindow[] = [];
      for (const name of ["rolling", "weekly", "monthly"] as const) {
        const window = parsed.data.usage[name];
        if (!window) continue;
        windows.push({
          name,
          percent: window.percent ?? undefined,
          resetsAt: window.resetsAt ?? undefined,
          status: window.status ?? undefined,
        });
      }
      return { checkedAt, windows };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      return {
        checkedAt,
        problem: timedOut ? "the Go usage endpoint did not answer in time" : "Go unreachable",
      };
    }
  };
  return cachedPoll(load, (usage) => usage.windows ? OK_EVERY_MS : FAILED_EVERY_MS, now);
}
