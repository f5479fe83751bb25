/**
 * Splits `<think>…</think>` out of streamed `content` (MiniMax without `reasoning_split`, some self-hosted
 * reasoning models) into thinking and text, with tags that may be cut anywhere between chunks.
 */

export interface ThinkTagSink {
  thinking(text: string): void;
  text(text: string): void;
}

export interface ThinkTagSplitter {
  push(content: string): void;
  /** The content ended: release anything held back while waiting to see whether it was a tag. */
  flush(): void;
}

const OPEN = "<think>";
const CLOSE = "</think>";

/**
 * Only a `<think>` at the very start of the answer (after whitespace) opens reasoning; once visible text has
 * been sent, tags are left alone, so a model that writes about `<think>` tags is not cut up.
 *
 * @example
 * ```ts
 * const splitter = createThinkTagSplitter({ thinking: (t) => out.push(["thinking", t]), text: (t) => out.push(["text", t]) });
 * splitter.push("<thi"); splitter.push("nk>plan</th"); splitter.push("ink>\n\nHello");
 * // out: [["thinking", "plan"], ["text", "Hello"]]
 * ```
 */
export function createThinkTagSplitter(sink: ThinkTagSink): ThinkTagSplitter {
  // "lead": nothing visible yet, `held` is leading whitespace or a partial "<think>"; "inside": reasoning,
  // `held` is a partial "</think>"; "after": skipping whitespace after "</think>"; "text": plain pass-through.
  let mode: "lead" | "inside" | "after" | "text" = "lead";
  let held = "";

  function pushInside(content: string): void {
    const buffer = held.length === 0 ? content : held + content;
    held = "";
    const close = buffer.indexOf(CLOSE);
    if (close !== -1) {
      if (close > 0) sink.thinking(buffer.slice(0, close));
      mode = "after";
      pushAfter(buffer.slice(close + CLOSE.length));
      return;
    }
    const keep = partialSuffix(buffer, CLOSE);
    if (buffer.length > keep) sink.thinking(keep === 0 ? buffer : buffer.slice(0, buffer.length - keep));
    if (keep > 0) held = buffer.slice(buffer.length - keep);
  }

  function pushAfter(content: string): void {
    const start = firstNonSpace(content);
    if (start === -1) return;
    mode = "text";
    sink.text(start === 0 ? content : content.slice(start));
  }

  function pushLead(content: string): void {
    const buffer = held.length === 0 ? content : held + content;
    held = "";
    const start = firstNonSpace(buffer);
    if (start === -1) {
      held = buffer;
      return;
    }
    const rest = buffer.length - start;
    if (rest < OPEN.length && OPEN.startsWith(buffer.slice(start))) {
      held = buffer;
      return;
    }
    if (buffer.startsWith(OPEN, start)) {
      mode = "inside";
      pushInside(buffer.slice(start + OPEN.length));
      return;
    }
    mode = "text";
    sink.text(buffer);
  }

  return {
    push(content: string): void {
      if (content.length === 0) return;
      if (mode === "text") sink.text(content);
      else if (mode === "inside") pushInside(content);
      else if (mode === "after") pushAfter(content);
      else pushLead(content);
    },
    flush(): void {
      if (held.length === 0) return;
      if (mode === "inside") sink.thinking(held);
      else if (mode === "lead" && firstNonSpace(held) !== -1) {
        // A "<thi" that never became a tag was text after all, and so is whatever follows it.
        mode = "text";
        sink.text(held);
      }
      held = "";
    },
  };
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag` (tags start with "<"). */
function partialSuffix(text: string, tag: string): number {
  let at = text.indexOf("<", Math.max(0, text.length - tag.length + 1));
  while (at !== -1) {
    if (tag.startsWith(text.slice(at))) return text.length - at;
    at = text.indexOf("<", at + 1);
  }
  return 0;
}

function firstNonSpace(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return index;
  }
  return -1;
}
