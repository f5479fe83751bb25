/**
 * OpenCode Go's `GET {go}/usage` (shared/reference/opencode.md §11.3), parsed defensively: windows may be
 * missing or extra, `percent` is a whole-number percentage, `status: "rate-limited"` means blocked.
 */
import { z } from "zod";

const windowSchema = z.looseObject({
  status: z.string().nullish(),
  percent: z.number().nullish(),
  resetsAt: z.string().nullish(),
});

const usageSchema = z.looseObject({
  usage: z.looseObject({
    rolling: windowSchema.nullish(),
    weekly: windowSchema.nullish(),
    monthly: windowSchema.nullish(),
  }),
});

export interface UsageWindow {
  name: "5-hour" | "weekly" | "monthly";
  percent: number | null;
  blocked: boolean;
  resetsAt: string | null;
}

const names = { rolling: "5-hour", weekly: "weekly", monthly: "monthly" } as const;

/** Undefined when the body is not the usage shape at all. */
export function parseGoUsage(json: unknown): UsageWindow[] | undefined {
  const parsed = usageSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const windows: UsageWindow[] = [];
  for (const key of ["rolling", "weekly", "monthly"] as const) {
    const window = parsed.data.usage[key];
    if (!window) continue;
    windows.push({
      name: names[key],
      percent: window.percent ?? null,
      blocked: window.status === "rate-limited",
      resetsAt: window.resetsAt ?? null,
    });
  }
  return windows;
}
