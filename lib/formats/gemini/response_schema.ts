/**
 * Gemini `GenerateContentResponse` stream chunks and error bodies, as far as the gateway reads them. Loose on
 * purpose: only the fields the translator consumes are listed.
 */
import { z } from "zod";

export const geminiUsageSchema = z.looseObject({
  promptTokenCount: z.number().nullish(),
  cachedContentTokenCount: z.number().nullish(),
  candidatesTokenCount: z.number().nullish(),
  thoughtsTokenCount: z.number().nullish(),
  toolUsePromptTokenCount: z.number().nullish(),
});
export type GeminiUsage = z.infer<typeof geminiUsageSchema>;

export const geminiResponsePartSchema = z.looseObject({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  thoughtSignature: z.string().nullish(),
  functionCall: z.looseObject({
    name: z.string(),
    args: z.record(z.string(), z.unknown()).nullish(),
  }).nullish(),
});
export type GeminiResponsePart = z.infer<typeof geminiResponsePartSchema>;

export const geminiErrorSchema = z.looseObject({
  code: z.number().nullish(),
  message: z.string().nullish(),
  status: z.string().nullish(),
});
export type GeminiError = z.infer<typeof geminiErrorSchema>;

export const geminiChunkSchema = z.looseObject({
  candidates: z.array(z.looseObject({
    content: z.looseObject({ parts: z.array(geminiResponsePartSchema).nullish() }).nullish(),
    finishReason: z.string().nullish(),
  })).nullish(),
  usageMetadata: geminiUsageSchema.nullish(),
  promptFeedback: z.looseObject({ blockReason: z.string().nullish() }).nullish(),
  /** Google can end an `alt=sse` stream with an error object instead of a chunk. */
  error: geminiErrorSchema.nullish(),
});
export type GeminiChunk = z.infer<typeof geminiChunkSchema>;
