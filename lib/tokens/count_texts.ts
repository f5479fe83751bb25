/**
 * Token count for many texts with a cost linear in their length and a cap. BPE on one long run without
 * word breaks (200 KB of one letter) is superlinear, and it runs on the event loop: so texts are cut into
 * pieces of at most `pieceChars` (before a whitespace where there is one, so ordinary text counts as it
 * would whole), the loop is given back every few milliseconds, and past `exactChars` in all only an even
 * sample of pieces is counted and scaled up to the whole.
 */

export type CountPiece = (text: string) => number;

export interface CountLimits {
  pieceChars: number;
  exactChars: number;
  /** Longest run of work before yielding to the event loop. */
  sliceMs: number;
}

export const defaultCountLimits: CountLimits = { pieceChars: 1_024, exactChars: 128 * 1_024, sliceMs: 8 };

/** Where to cut `text` into pieces of at most `size` characters. */
export function pieceEnds(text: string, size: number): number[] {
  const ends: number[] = [];
  let start = 0;
  while (text.length - start > size) {
    let end = start + size;
    // Cut before whitespace when the window has some (o200k attaches a leading space to the next word).
    const space = text.slice(start + (size >> 1), end + 1).search(/\s\S*$/);
    if (space > 0) end = start + (size >> 1) + space;
    // Never between the halves of a surrogate pair.
    const code = text.charCodeAt(end);
    if (code >= 0xdc00 && code <= 0xdfff) end--;
    ends.push(end);
    start = end;
  }
  ends.push(text.length);
  return ends;
}

const yieldToLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function countTexts(
  texts: string[],
  count: CountPiece,
  limits: CountLimits = defaultCountLimits,
): Promise<number> {
  let totalChars = 0;
  for (const text of texts) totalChars += text.length;
  if (totalChars === 0) return 0;
  // Every `stride`-th piece is counted: all of them when the texts fit the cap.
  const stride = Math.max(1, Math.ceil(totalChars / limits.exactChars));
  let tokens = 0;
  let countedChars = 0;
  let index = 0;
  let sliceStart = performance.now();
  for (const text of texts) {
    let start = 0;
    for (const end of pieceEnds(text, limits.pieceChars)) {
      if (index++ % stride === 0) {
        tokens += count(text.slice(start, end));
        countedChars += end - start;
        if (performance.now() - sliceStart > limits.sliceMs) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
      start = end;
    }
  }
  if (stride === 1 || countedChars === 0) return tokens;
  return Math.round(tokens * totalChars / countedChars);
}
