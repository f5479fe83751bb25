/**
 * zod shapes of the Chat Completions stream chunks, listing only the fields the translator reads. Everything
 * is loose and nullish: providers add fields and send `null` where OpenAI omits, and neither may fail a chunk.
 */
import { z } from "zod";

const numberish = z.number().nullish();

export const openaiChatUsageSchema = z.looseObject({
  prompt_tokens: numberish,
  completion_tokens: numberish,
  prompt_tokens_details: z.looseObject({ cached_tokens: numberish, cache_write_tokens: numberish }).nullish(),
  /** Kimi (Moonshot) reports cache hits here. */
  cached_tokens: numberish,
  /** DeepSeek reports cache hits here (hit + miss = prompt_tokens). */
  prompt_cache_hit_tokens: numberish,
});
export type OpenaiChatUsage = z.infer<typeof openaiChatUsageSchema>;

const toolCallDeltaSchema = z.looseObject({
  index: numberish,
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});
export type OpenaiChatToolCallDelta = z.infer<typeof toolCallDeltaSchema>;

const deltaSchema = z.looseObject({
  content: z.string().nullish(),
  /** DeepSeek, Kimi, GLM, Qwen, MiMo. */
  reasoning_content: z.string().nullish(),
  /** Some hosts (OpenRouter-style, vLLM) use this name instead. */
  reasoning: z.string().nullish(),
  /** MiniMax with `reasoning_split`: an array whose items carry `text`. */
  reasoning_details: z.array(z.looseObject({ text: z.string().nullish() })).nullish(),
  tool_calls: z.array(toolCallDeltaSchema).nullish(),
});

const choiceSchema = z.looseObject({
  index: numberish,
  delta: deltaSchema.nullish(),
  finish_reason: z.string().nullish(),
});

export const openaiChatErrorSchema = z.looseObject({
  message: z.string().nullish(),
  type: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
});

export const openaiChatChunkSchema = z.looseObject({
  choices: z.array(choiceSchema).nullish(),
  usage: openaiChatUsageSchema.nullish(),
  /** A mid-stream failure (`data: {"error":{…}}`), which openai-node also raises as an APIError. */
  error: z.union([openaiChatErrorSchema, z.string()]).nullish(),
});
export type OpenaiChatChunk = z.infer<typeof openaiChatChunkSchema>;
