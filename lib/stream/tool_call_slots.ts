/**
 * The rules an upstream's tool-call numbering must follow before the gateway keys state by it: an `index`
 * (Chat), `output_index` (Responses) or a function-call position (Gemini) is small and dense, a new index is
 * the next one, an index keeps its call's id and name, and no two calls share an id. A number like
 * 4294967294 once built a sparse array walked for a minute; anything else is a malformed upstream event.
 */

/** More tool calls than any model sends in one answer; also the cap on a stream's index. */
export const MAX_TOOL_CALL_INDEX = 1_024;

/** Thrown for an event that breaks the rules; the translators turn it into a malformed-upstream failure. */
export class MalformedToolCallError extends Error {
  override name = "MalformedToolCallError";
}

interface Slot {
  id: string;
  name: string;
}

/**
 * Per-stream bookkeeping of the calls seen. `claim` is called for every fragment before the translator uses
 * the index; it throws MalformedToolCallError when the fragment breaks a rule.
 */
export class ToolCallSlots {
  readonly #slots: Slot[] = [];
  readonly #ids = new Set<string>();
  readonly #what: string;

  /** `what` names the field in messages (`tool_calls[].index`, `output_index`). */
  constructor(what: string) {
    this.#what = what;
  }

  get size(): number {
    return this.#slots.length;
  }

  /**
   * Checks one fragment: `index` as the upstream sent it, with the id and name it carries (if any). Returns
   * true when it opens a new call.
   */
  claim(index: unknown, id?: string | null, name?: string | null): boolean {
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= MAX_TOOL_CALL_INDEX) {
      throw new MalformedToolCallError(
        `${this.#what} ${shortNumber(index)} is not a whole number from 0 to ${MAX_TOOL_CALL_INDEX - 1}`,
      );
    }
    const slot = this.#slots[index];
    if (slot === undefined) {
      if (index !== this.#slots.length) {
        throw new MalformedToolCallError(
          `${this.#what} ${index} skips ahead: the next tool call must be ${this.#what} ${this.#slots.length}`,
        );
      }
      if (id) this.#claimId(id);
      this.#slots.push({ id: id ?? "", name: name ?? "" });
      return true;
    }
    if (id && slot.id && id !== slot.id) {
      throw new MalformedToolCallError(
        `${this.#what} ${index} is reused by a second tool call (id ${short(id)} after ${short(slot.id)})`,
      );
    }
    if (name && slot.name && name !== slot.name) {
      throw new MalformedToolCallError(
        `${this.#what} ${index} changed its tool name (${short(name)} after ${short(slot.name)})`,
      );
    }
    if (id && !slot.id) {
      this.#claimId(id);
      slot.id = id;
    }
    if (name && !slot.name) slot.name = name;
    return false;
  }

  #claimId(id: string): void {
    if (this.#ids.has(id)) {
      throw new MalformedToolCallError(`tool call id ${short(id)} is used by two tool calls`);
    }
    this.#ids.add(id);
  }
}

function short(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

function shortNumber(value: unknown): string {
  return typeof value === "number" ? String(value) : short(String(value)).slice(0, 80);
}
