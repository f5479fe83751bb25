/**
 * zod shape of a client's Chat Completions request. Loose objects (unknown fields survive for pass-through),
 * strict on the types the gateway reads, so a bad field is a 400 that names its path.
 */
import { z } from "zod";
import { reasoningEffortSchema } from "../openai/reasoning_to_hub.ts";
import { webSearchOptionsSchema } from "../../web/chat_web_search.ts";

const textPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });
const imagePartSchema = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string(), detail: z.string().nullish() }),
});
const audioPartSchema = z.looseObject({ type: z.literal("input_audio") });
const filePartSchema = z.looseObject({
  type: z.literal("file"),
  file: z.looseObject({
    file_data: z.string().nullish(),
    file_id: z.string().nullish(),
    filename: z.string().nullish(),
  }),
});
const refusalPartSchema = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });

const userPartSchema = z.discriminatedUnion("type", [
  textPartSchema,
  imagePartSchema,
  audioPartSchema,
  filePartSchema,
]);
export type OpenaiChatUserPart = z.infer<typeof userPartSchema>;

const textOnly = z.union([z.string(), z.array(textPartSchema)]);

export const openaiChatToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

const messageSchema = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: textOnly }),
  z.looseObject({ role: z.literal("developer"), content: textOnly }),
  z.looseObject({ role: z.literal("user"), content: z.union([z.string(), z.array(userPartSchema)]) }),
  z.looseObject({
    role: z.literal("assistant"),
    content: z.union([z.string(), z.array(z.union([textPartSchema, refusalPartSchema]))]).nullish(),
    refusal: z.string().nullish(),
    tool_calls: z.array(openaiChatToolCallSchema).nullish(),
    /** DeepSeek, Kimi, GLM, Qwen, MiMo: the reasoning shown with the answer, to be replayed. */
    reasoning_content: z.string().nullish(),
    /** Some hosts and clients use this name instead. */
    reasoning: z.string().nullish(),
  }),
  z.looseObject({ role: z.literal("tool"), tool_call_id: z.string(), content: textOnly }),
]);
export type OpenaiChatMessage = z.infer<typeof messageSchema>;

const toolSchema = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("function"),
    function: z.looseObject({
      name: z.string().min(1),
      description: z.string().nullish(),
      parameters: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
  z.looseObject({ type: z.literal("custom") }),
]);
export type OpenaiChatTool = z.infer<typeof toolSchema>;

const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
  z.looseObject({
    type: z.literal("allowed_tools"),
    allowed_tools: z.looseObject({
      mode: z.enum(["auto", "required"]),
      tools: z.array(
        z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }).optional() }),
      ),
    }),
  }),
  z.looseObject({ type: z.literal("custom") }),
]);
export type OpenaiChatToolChoice = z.infer<typeof toolChoiceSchema>;

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({ name: z.string().optional(), schema: z.unknown().optional() }),
  }),
]);

export const openaiChatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning_effort: reasoningEffortSchema.nullish(),
  response_format: responseFormatSchema.nullish(),
  prompt_cache_key: z.string().nullish(),
  web_search_options: webSearchOptionsSchema.nullish(),
});
export type OpenaiChatRequest = z.infer<typeof openaiChatRequestSchema>;
