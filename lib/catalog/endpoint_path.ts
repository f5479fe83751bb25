/** The upstream path each family is served on (shared/reference/opencode.md §1), for tables and reports. */
import type { Family } from "./types.ts";

export const endpointByFamily: Record<Family, string> = {
  "openai-chat": "/chat/completions",
  anthropic: "/messages",
  "openai-responses": "/responses",
  gemini: "/models/{id}:generateContent",
};
