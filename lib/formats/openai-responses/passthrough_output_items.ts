/**
 * The Responses pass-through forwards the upstream's bytes, but the numbering clients key output items by is
 * checked first, with the translated path's rules: `output_index` small and dense, one item per index, and no
 * two function calls with one `call_id`. Only `response.output_item.added` events (one per item) are parsed.
 */
import { MalformedToolCallError, ToolCallSlots } from "../../stream/tool_call_slots.ts";

export interface OutputItemCheck {
  /** The rule an event breaks, or undefined (also for an event that is not JSON: it goes as it came). */
  problem(type: string | undefined, data: string): string | undefined;
}

export function createOutputItemCheck(): OutputItemCheck {
  const outputs = new ToolCallSlots("output_index");
  const callIds = new Set<string>();
  return {
    problem(type, data) {
      if (type !== "response.output_item.added") return undefined;
      let event: { output_index?: unknown; item?: { id?: unknown; type?: unknown; call_id?: unknown } };
      try {
        event = JSON.parse(data);
      } catch {
        return undefined;
      }
      const item = event?.item;
      try {
        if (event?.output_index !== undefined && event.output_index !== null) {
          outputs.claim(event.output_index, typeof item?.id === "string" ? item.id : undefined);
        }
        if (item?.type === "function_call" && typeof item.call_id === "string") {
          if (callIds.has(item.call_id)) {
            throw new MalformedToolCallError(
              `function_call id ${JSON.stringify(item.call_id.slice(0, 64))} is used twice`,
            );
          }
          callIds.add(item.call_id);
        }
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    },
  };
}
