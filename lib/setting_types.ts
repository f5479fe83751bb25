/** The value types settings are written in: environment variables are strings, so numbers and flags coerce. */
import { z } from "zod";

export const csv = z.string().transform((value) =>
  value.split(",").map((part) => part.trim()).filter((part) => part.length > 0)
);
export const positiveInt = z.coerce.number({ error: "expected a whole number" }).int().positive();
export const flag = z.enum(["0", "1", "true", "false"]).transform((value) =>
  value === "1" || value === "true"
);
