/** The StreamFromHub of an OpenAI-format client: its per-event writer over a batch, and the comment ping. */
import type { HubEvent } from "../../hub/schema.ts";
import type { StreamFromHub } from "../../hub/wire_format.ts";
import { OPENAI_PING } from "./stream_frames.ts";

export function openaiStreamWriter(writeEvent: (event: HubEvent) => string): StreamFromHub {
  return {
    write(events: readonly HubEvent[]): string {
      let out = "";
      for (const event of events) out += writeEvent(event);
      return out;
    },
    ping: () => OPENAI_PING,
  };
}
