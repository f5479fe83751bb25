/** Names closest to a mistyped model id, for the 404 message (edit distance plus shared prefix or substring). */

/**
 * Up to `limit` candidates, best first.
 *
 * @example
 * ```ts
 * findCloseMatches("kimi-k2.66", ["kimi-k2.6", "glm-5.1"]); // ["kimi-k2.6"]
 * ```
 */
export function findCloseMatches(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = name.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(wanted, lower);
    const related = lower.includes(wanted) || wanted.includes(lower);
    const allowed = Math.max(2, Math.floor(Math.max(wanted.length, lower.length) / 3));
    if (distance <= allowed || related) scored.push({ candidate, score: related ? distance / 2 : distance });
  }
  scored.sort((left, right) => left.score - right.score || left.candidate.localeCompare(right.candidate));
  return scored.slice(0, limit).map((item) => item.candidate);
}

/** Levenshtein distance with two rows. */
export function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  let current = new Array<number>(right.length + 1);
  for (let row = 1; row <= left.length; row++) {
    current[0] = row;
    for (let column = 1; column <= right.length; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      current[column] = Math.min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[right.length];
}
