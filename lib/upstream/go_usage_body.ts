/**
 * OpenCode Go's `GET {go}/usage` body (shared/reference/opencode.md §11.3), parsed loosely: the endpoint is
 * young, windows may be missing or extra, `percent` is a whole-number percentage, `status: "rate-limited"`
 * means the window is used up. Read by the doctor and by the status page's poller.
 */
import { z } from "zod";

const windowSchema = z.looseObject({
  status: z.string().nullish(),
  percent: z.number().nullish(),
  resetsAt: z.string().nullish(),
});

export const goUsageBodySchema = z.looseObject({
  usage: z.looseObject({
    rolling: windowSchema.nullish(),
    weekly: windowSchema.nullish(),
    monthly: windowSchema.nullish(),
  }),
});
