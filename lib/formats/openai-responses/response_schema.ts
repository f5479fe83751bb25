/**
 * OpenAI Responses stream events and error bodies, as far as the gateway reads them. Loose on purpose: only the
 * fields the translator consumes are listed, so a provider that adds fields never breaks a stream.
 */
import { z } from "zod";

export const responsesUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  input_tokens_details: z.looseObject({
    cached_tokens: z.number().nullish(),
    cache_write_tokens: z.number().nullish(),
  }).nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});
export type ResponsesUsage = z.infer<typeof responsesUsageSchema>;

/** One output item; which fields matter depends on `type` (reasoning, function_call, message…). */
export const responsesItemSchema = z.looseObject({
  type: z.string(),
  id: z.string().nullish(),
  call_id: z.string().nullish(),
  name: z.string().nullish(),
  arguments: z.string().nullish(),
  encrypted_content: z.string().nullish(),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).nullish(),
});
export type OpenaiResponsesUpstreamItem = z.infer<typeof responsesItemSchema>;

export const responsesErrorSchema = z.looseObject({
  code: z.union([z.string(), z.number()]).nullish(),
  message: z.string().nullish(),
  type: z.string().nullish(),
});
export type ResponsesError = z.infer<typeof responsesErrorSchema>;

const responseSchema = z.looseObject({
  status: z.string().nullish(),
  usage: responsesUsageSchema.nullish(),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  error: responsesErrorSchema.nullish(),
});

const itemEvent = { output_index: z.number().int().nullish(), item: responsesItemSchema };
const deltaEvent = {
  item_id: z.string().nullish(),
  output_index: z.number().int().nullish(),
  delta: z.string(),
};

export const responsesEventSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("response.created"), response: responseSchema.nullish() }),
  z.looseObject({ type: z.literal("response.output_item.added"), ...itemEvent }),
  z.looseObject({ type: z.literal("response.output_item.done"), ...itemEvent }),
  z.looseObject({
    type: z.literal("response.reasoning_summary_text.delta"),
    ...deltaEvent,
    summary_index: z.number().int().nullish(),
  }),
  z.looseObject({ type: z.literal("response.reasoning_text.delta"), ...deltaEvent }),
  z.looseObject({ type: z.literal("response.output_text.delta"), ...deltaEvent }),
  z.looseObject({ type: z.literal("response.refusal.delta"), ...deltaEvent }),
  z.looseObject({ type: z.literal("response.function_call_arguments.delta"), ...deltaEvent }),
  z.looseObject({
    type: z.literal("response.function_call_arguments.done"),
    item_id: z.string().nullish(),
    output_index: z.number().int().nullish(),
    arguments: z.string(),
  }),
  z.looseObject({ type: z.literal("response.completed"), response: responseSchema }),
  z.looseObject({ type: z.literal("response.incomplete"), response: responseSchema }),
  z.looseObject({ type: z.literal("response.failed"), response: responseSchema }),
  // Documented flat (`{type, code, message, param}`); some first-party payloads nest it under `error`.
  z.looseObject({
    type: z.literal("error"),
    code: responsesErrorSchema.shape.code,
    message: responsesErrorSchema.shape.message,
    error: responsesErrorSchema.nullish(),
  }),
]);
export type ResponsesEvent = z.infer<typeof responsesEventSchema>;

/** Event types the translator acts on; every other type (pings, hosted-tool progress…) is skipped unparsed. */
export const handledResponsesEventTypes: ReadonlySet<string> = new Set(
  responsesEventSchema.options.map((option) => option.shape.type.value),
);
