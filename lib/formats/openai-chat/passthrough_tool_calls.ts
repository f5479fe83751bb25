/**
 * The chat pass-through forwards the upstream's bytes, but a tool-call index the client would key an array
 * by (the OpenAI SDKs do) is checked first, with the translated path's rules: only frames that carry
 * `"tool_calls"` are parsed, one small parse per tool-call fragment.
 */
import type { ToolCallSlots } from "../../stream/tool_call_slots.ts";

/** The rule a frame breaks, or undefined (also for a frame that is not JSON: that is forwarded as it came). */
export function chatToolCallProblem(data: string, slots: ToolCallSlots): string | undefined {
  if (!data.includes('"tool_calls"')) return undefined;
  let chunk: { choices?: { index?: unknown; delta?: { tool_calls?: unknown } }[] };
  try {
    chunk = JSON.parse(data);
  } catch {
    return undefined;
  }
  for (const choice of Array.isArray(chunk?.choices) ? chunk.choices : []) {
    if ((choice?.index ?? 0) !== 0) continue;
    const calls = choice?.delta?.tool_calls;
    if (!Array.isArray(calls)) continue;
    for (let position = 0; position < calls.length; position++) {
      const call = calls[position] as { index?: unknown; id?: unknown; function?: { name?: unknown } };
      try {
        slots.claim(
          call?.index ?? position,
          typeof call?.id === "string" ? call.id : undefined,
          typeof call?.function?.name === "string" ? call.function.name : undefined,
        );
      } catch (error) {
        return (error as Error).message;
      }
    }
  }
  return undefined;
}
