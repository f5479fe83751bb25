/** A zod failure as a 400 that names the offending field (`messages.1.content.0.type: …`). */
import type { z } from "zod";
import { GatewayError } from "./gateway_error.ts";

export function zodToGatewayError(error: z.ZodError): GatewayError {
  const issue = error.issues[0];
  const path = issue?.path.join(".") ?? "";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return new GatewayError(
    "invalid_request_error",
    `${path || "body"}: ${issue?.message ?? "Invalid request"}${more}`,
    {
      param: path || undefined,
    },
  );
}

/** Parse or throw the 400 above. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw zodToGatewayError(result.error);
  return result.data;
}
