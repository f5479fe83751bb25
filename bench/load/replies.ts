/**
 * What the load benchmark's fake upstream answers, shared with the checker that compares every response with
 * it: the model id names the variant (`bench-<family>-<variant>`), so each answer is known in advance.
 */

export const families = ["openai-chat", "anthropic", "openai-responses", "gemini"] as const;
export type Family = typeof families[number];

export const variants = ["text", "tool", "tiny"] as const;
export type Variant = typeof variants[number];

export interface Reply {
  /** Text pieces, one upstream event each. */
  pieces: string[];
  text: string;
  tool?: { name: string; input: Record<string, unknown>; fragments: string[] };
}

// Multi-byte on purpose, so upstream writes carry 2-, 3- and 4-byte UTF-8.
const WORDS = ["stream ", "déjà ", "vu — ", "naïve ", "你好 ", "世界 ", "🚀 ", "token ", "über ", "ok. "];

/** Text events in a long stream: the figures are per 1000 chunks. */
export const textPieces = 1_000;

function split(text: string, parts: number): string[] {
  const out: string[] = [];
  for (let part = 0; part < parts; part++) {
    const piece = text.slice(
      Math.floor(part * text.length / parts),
      Math.floor((part + 1) * text.length / parts),
    );
    if (piece) out.push(piece);
  }
  return out;
}

function build(variant: Variant): Reply {
  if (variant === "tiny") {
    const pieces = ["Hello", " there", "!"];
    return { pieces, text: pieces.join("") };
  }
  if (variant === "text") {
    const pieces = Array.from({ length: textPieces }, (_, index) => WORDS[(index * 3) % WORDS.length]);
    return { pieces, text: pieces.join("") };
  }
  const pieces = ["I will ", "read the ", "file first."];
  const input = { file_path: "/tmp/project/src/main.ts", offset: 120, limit: 200, note: "déjà vu 🚀" };
  return {
    pieces,
    text: pieces.join(""),
    tool: { name: "Read", input, fragments: split(JSON.stringify(input), 40) },
  };
}

const replies = Object.fromEntries(variants.map((variant) => [variant, build(variant)])) as Record<
  Variant,
  Reply
>;

export function modelId(family: Family, variant: Variant): string {
  return `bench-${family}-${variant}`;
}

/** The reply for a model id, or undefined for an id the benchmark does not use. */
export function replyFor(model: string): Reply | undefined {
  const variant = model.slice(model.lastIndexOf("-") + 1) as Variant;
  return replies[variant];
}

export function allModelIds(): string[] {
  return families.flatMap((family) => variants.map((variant) => modelId(family, variant)));
}

/** Total upstream events of one streamed reply's content (text pieces plus tool fragments). */
export function contentEvents(reply: Reply): number {
  return reply.pieces.length + (reply.tool?.fragments.length ?? 0);
}
