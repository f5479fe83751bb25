/**
 * Finds the source markers a model writes after a claim (`[1]`, `[1, 3]`, `[2][4]`) in streamed text. A
 * marker may be split across deltas, so what could still become one (a trailing `[`, `[1,`, or the spaces
 * before it) is held back until the next delta or the end. Markers naming no known source stay text.
 */

export type MarkerPiece =
  | { text: string }
  /** `space`: the blanks the model put between the claim and the marker. */
  | { cite: number[]; space: string };

const COMPLETE = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;
/** A possible marker start at the end, with the blanks before it; anything longer is plain text. */
const OPEN_TAIL = /[ \t]*(?:\[[\d,\s]{0,20})?$/;

export class MarkerScanner {
  #held = "";
  #valid: (source: number) => boolean;

  constructor(valid: (source: number) => boolean) {
    this.#valid = valid;
  }

  feed(text: string): MarkerPiece[] {
    const input = this.#held + text;
    this.#held = "";
    const pieces: MarkerPiece[] = [];
    let last = 0;
    for (const match of input.matchAll(COMPLETE)) {
      const sources = match[1].split(",").map((part) => Number(part.trim()));
      if (!sources.every((source) => this.#valid(source))) continue;
      const before = input.slice(last, match.index);
      const space = before.match(/[ \t]*$/)![0];
      const claim = before.slice(0, before.length - space.length);
      if (claim) pieces.push({ text: claim });
      pieces.push({ cite: [...new Set(sources)], space });
      last = match.index + match[0].length;
    }
    const rest = input.slice(last);
    const tail = rest.match(OPEN_TAIL)![0];
    this.#held = tail;
    const plain = rest.slice(0, rest.length - tail.length);
    if (plain) pieces.push({ text: plain });
    return pieces;
  }

  /** What is still held back, as the plain text it turned out to be. */
  end(): MarkerPiece[] {
    const held = this.#held;
    this.#held = "";
    return held ? [{ text: held }] : [];
  }
}
