/** Writes hub events as Anthropic SSE; the `event:` line is always present because the SDK dispatches on it. */
import type { StreamFromHub } from "../../hub/wire_format.ts";
import type { HubEvent } from "../../hub/schema.ts";

const PING = 'event: ping\ndata: {"type":"ping"}\n\n';

export function anthropicStreamFromHub(): StreamFromHub {
  return {
    write(events: readonly HubEvent[]): string {
      let out = "";
      for (const event of events) out += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
      return out;
    },
    ping: () => PING,
  };
}
