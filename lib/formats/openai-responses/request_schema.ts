/**
 * zod shape of a client's Responses API request: loose objects, strict on the fields the gateway reads, so a
 * bad field is a 400 that names its path.
 */
import { z } from "zod";
import { reasoningEffortSchema } from "../openai/reasoning_to_hub.ts";

const inputTextSchema = z.looseObject({ type: z.literal("input_text"), text: z.string() });
const outputTextSchema = z.looseObject({ type: z.literal("output_text"), text: z.string() });
const refusalSchema = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });
const inputImageSchema = z.looseObject({
  type: z.literal("input_image"),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
});
const inputFileSchema = z.looseObject({
  type: z.literal("input_file"),
  file_data: z.string().nullish(),
  file_url: z.string().nullish(),
  file_id: z.string().nullish(),
  filename: z.string().nullish(),
});

const contentPartSchema = z.discriminatedUnion("type", [
  inputTextSchema,
  outputTextSchema,
  refusalSchema,
  inputImageSchema,
  inputFileSchema,
]);
export type ResponsesContentPart = z.infer<typeof contentPartSchema>;

export const messageItemSchema = z.looseObject({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(contentPartSchema)]),
});

export const functionCallItemSchema = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string().nullish(),
});

export const functionCallOutputItemSchema = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string(),
  output: z.union([z.string(), z.array(contentPartSchema)]),
});

export const customToolCallItemSchema = z.looseObject({
  type: z.literal("custom_tool_call"),
  call_id: z.string(),
  name: z.string(),
  input: z.string(),
});

export const customToolCallOutputItemSchema = z.looseObject({
  type: z.literal("custom_tool_call_output"),
  call_id: z.string(),
  output: z.union([z.string(), z.array(contentPartSchema)]),
});

export const reasoningItemSchema = z.looseObject({
  type: z.literal("reasoning"),
  summary: z.array(z.looseObject({ text: z.string() })).nullish(),
  content: z.array(z.looseObject({ text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});

/** Items are told apart by `type` and then checked against their own schema, so errors name the right field. */
const inputItemSchema = z.looseObject({ type: z.string().optional() });

export const functionToolSchema = z.looseObject({
  type: z.literal("function"),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
});

export const customToolSchema = z.looseObject({
  type: z.literal("custom"),
  name: z.string().min(1),
  description: z.string().nullish(),
});

const toolSchema = z.looseObject({ type: z.string() });

const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), name: z.string() }),
  z.looseObject({ type: z.literal("custom"), name: z.string() }),
  z.looseObject({
    type: z.literal("allowed_tools"),
    mode: z.enum(["auto", "required"]),
    tools: z.array(z.looseObject({ type: z.string(), name: z.string().optional() })),
  }),
  z.looseObject({ type: z.string() }),
]);
export type ResponsesToolChoice = z.infer<typeof toolChoiceSchema>;

export const openaiResponsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(inputItemSchema)]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  reasoning: z.looseObject({ effort: reasoningEffortSchema.nullish(), summary: z.string().nullish() })
    .nullish(),
  text: z.looseObject({
    format: z.looseObject({ type: z.string(), schema: z.unknown().optional() }).nullish(),
  }).nullish(),
  previous_response_id: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
});
export type OpenaiResponsesRequest = z.infer<typeof openaiResponsesRequestSchema>;
