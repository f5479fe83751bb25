/**
 * Checks a hub (Anthropic) event sequence against the stream grammar every client relies on:
 *   ping* error
 * | ping* message_start (ping | block)* (message_delta message_stop | error)
 *   block = content_block_start(i = next index) content_block_delta(i)* content_block_stop(i)
 * with at most one block open, deltas matching their block's type, every event schema-valid, and nothing
 * after the terminal event. An `error` may leave a block open (Anthropic's own streams do).
 */
import { hubEventSchema } from "../../lib/hub/schema.ts";
import type { HubEvent } from "../../lib/hub/schema.ts";

export interface GrammarOptions {
  /**
   * Accept argument fragments for an already closed tool_use block. Off by default: the SDKs accumulate by
   * index, but Claude Code finalises a block at its stop and ignores later deltas (it then ran one of two
   * parallel calls), so a late fragment is a bug the client would see.
   */
  allowLateToolArguments?: boolean;
  /** Require the terminal event (a sequence cut short is a violation); default true. */
  requireTerminal?: boolean;
}

const deltaForBlock: Record<string, string[]> = {
  text: ["text_delta", "citations_delta"],
  thinking: ["thinking_delta", "signature_delta"],
  redacted_thinking: [],
  tool_use: ["input_json_delta"],
  // Emulated server tools (lib/web/): the call streams like tool_use, its result comes whole in its start.
  server_tool_use: ["input_json_delta"],
  web_search_tool_result: [],
  web_fetch_tool_result: [],
};

/** Every violation found, as readable strings; empty when the sequence is well formed. */
export function hubGrammarViolations(events: readonly unknown[], options: GrammarOptions = {}): string[] {
  const allowLate = options.allowLateToolArguments ?? false;
  const problems: string[] = [];
  const blockTypes: string[] = [];
  let open: number | undefined;
  let state: "initial" | "message" | "delta" | "ended" = "initial";
  for (const [position, raw] of events.entries()) {
    const at = `#${position}`;
    const parsed = hubEventSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(`${at} is not a valid hub event: ${parsed.error.issues[0]?.message}`);
      continue;
    }
    const event: HubEvent = parsed.data;
    if (state === "ended") {
      problems.push(`${at} ${event.type} after the terminal event`);
      continue;
    }
    if (event.type === "error") {
      state = "ended";
      continue;
    }
    // Keep-alives may come at any point before the end, even before message_start (the SDKs skip them).
    if (event.type === "ping") continue;
    if (state === "initial") {
      if (event.type !== "message_start") problems.push(`${at} ${event.type} before message_start`);
      state = "message";
      continue;
    }
    if (state === "delta") {
      if (event.type !== "message_stop") problems.push(`${at} ${event.type} between message_delta and stop`);
      state = "ended";
      continue;
    }
    switch (event.type) {
      case "message_start":
        problems.push(`${at} second message_start`);
        break;
      case "content_block_start":
        if (open !== undefined) problems.push(`${at} block ${event.index} starts while ${open} is open`);
        if (event.index !== blockTypes.length) {
          problems.push(`${at} block index ${event.index}, expected ${blockTypes.length}`);
        }
        blockTypes[event.index] = event.content_block.type;
        open = event.index;
        break;
      case "content_block_delta": {
        const type = blockTypes[event.index];
        if (type === undefined) {
          problems.push(`${at} delta for unknown block ${event.index}`);
          break;
        }
        if (!deltaForBlock[type]?.includes(event.delta.type)) {
          problems.push(`${at} ${event.delta.type} in a ${type} block`);
        }
        const late = event.index !== open;
        if (late && !(allowLate && event.delta.type === "input_json_delta")) {
          problems.push(`${at} delta for block ${event.index}, which is not open`);
        }
        break;
      }
      case "content_block_stop":
        if (event.index !== open) problems.push(`${at} stop for block ${event.index}, open is ${open}`);
        open = undefined;
        break;
      case "message_delta":
        if (open !== undefined) problems.push(`${at} message_delta while block ${open} is open`);
        state = "delta";
        break;
      case "message_stop":
        problems.push(`${at} message_stop without message_delta`);
        state = "ended";
        break;
    }
  }
  if ((options.requireTerminal ?? true) && state !== "ended") {
    problems.push(events.length === 0 ? "empty sequence" : "sequence does not end in message_stop or error");
  }
  return problems;
}

/** Throws with every violation and the sequence itself when it is not well formed. */
export function assertHubGrammar(events: readonly unknown[], options: GrammarOptions = {}): void {
  const problems = hubGrammarViolations(events, options);
  if (problems.length > 0) {
    const shown = events.slice(0, 40).map((event) => JSON.stringify(event)).join("\n  ");
    throw new Error(`Hub grammar violated:\n- ${problems.join("\n- ")}\nevents:\n  ${shown}`);
  }
}

/** Parses Anthropic SSE text (what the gateway sent) into its event objects, checking `event:` matches `type`. */
export function parseAnthropicSse(text: string): unknown[] {
  const events: unknown[] = [];
  for (const frame of text.split("\n\n")) {
    if (frame.trim() === "") continue;
    let name: string | undefined;
    let data = "";
    for (const line of frame.split("\n")) {
      if (line.startsWith("event: ")) name = line.slice(7);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    const event = JSON.parse(data) as { type?: string };
    if (name !== event.type) throw new Error(`SSE event line "${name}" does not match type "${event.type}"`);
    events.push(event);
  }
  return events;
}

const knownEvents = new Set([
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
  "ping",
  "error",
]);

/**
 * Reads Anthropic SSE the way the official SDK does: frames without an `event:` line or with an unknown
 * event name are ignored (counted in `ignored`); a known event must carry JSON of its own type.
 */
export function readAnthropicSse(text: string): { events: unknown[]; ignored: number; problems: string[] } {
  const events: unknown[] = [];
  const problems: string[] = [];
  let ignored = 0;
  for (const frame of text.split(/\r?\n\r?\n/)) {
    if (frame.trim() === "") continue;
    let name: string | undefined;
    const data: string[] = [];
    for (const line of frame.split(/\r?\n/)) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (name === undefined || !knownEvents.has(name)) {
      ignored++;
      continue;
    }
    try {
      const event = JSON.parse(data.join("\n")) as { type?: unknown } | null;
      if (event?.type !== name) problems.push(`event ${name} carries type ${event?.type}`);
      events.push(event);
    } catch {
      problems.push(`event ${name} carries no JSON: ${data.join("").slice(0, 80)}`);
    }
  }
  return { events, ignored, problems };
}
