/**
 * Block starts of an Anthropic-format upstream stream: each `content_block_start` index is small and opens
 * once, and no two tool_use blocks share an id. Gaps are tolerated (only the index's identity matters here).
 */
import { MalformedToolCallError, MAX_TOOL_CALL_INDEX } from "./tool_call_slots.ts";

export class StartedBlocks {
  readonly #indices = new Set<number>();
  readonly #toolIds = new Set<string>();

  /** Throws MalformedToolCallError for a repeated or out-of-range index, or a tool id seen before. */
  claim(index: number, toolId?: string | null): void {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_TOOL_CALL_INDEX) {
      throw new MalformedToolCallError(
        `content_block_start index ${index} is not a whole number from 0 to ${MAX_TOOL_CALL_INDEX - 1}`,
      );
    }
    if (this.#indices.has(index)) {
      throw new MalformedToolCallError(`content_block_start index ${index} opens a second block`);
    }
    this.#indices.add(index);
    if (!toolId) return;
    if (this.#toolIds.has(toolId)) {
      throw new MalformedToolCallError(
        `tool_use id ${JSON.stringify(toolId.slice(0, 64))} is used by two tool calls`,
      );
    }
    this.#toolIds.add(toolId);
  }
}
