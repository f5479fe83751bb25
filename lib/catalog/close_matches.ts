/** Names closest to a mistyped model id, for the 404 message (edit distance plus shared prefix or substring). */

/** Names longer than this get no suggestions (no catalog id comes close). */
export const MAX_NAME_LENGTH = 128;
/** Ids scored per lookup; the catalogs hold a few hundred. */
export const MAX_CANDIDATES = 2_000;

/**
 * Up to `limit` candidates, best first.
 *
 * @example
 * ```ts
 * findCloseMatches("kimi-k2.66", ["kimi-k2.6", "glm-5.1"]); // ["kimi-k2.6"]
 * ```
 */
export function findCloseMatches(name: string, candidates: Iterable<string>, limit = 3): string[] {
  // Bounded whatever the input: edit distance is length × length, so a long name gets no suggestions and at
  // most MAX_CANDIDATES ids are scored.
  if (name.length > MAX_NAME_LENGTH) return [];
  const wanted = name.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  let seen = 0;
  for (const candidate of new Set(candidates)) {
    if (++seen > MAX_CANDIDATES) break;
    if (candidate.length > MAX_NAME_LENGTH) continue;
    const lower = candidate.toLowerCase();
    const related = lower.includes(wanted) || wanted.includes(lower);
    const allowed = Math.max(2, Math.floor(Math.max(wanted.length, lower.length) / 3));
    // The distance is at least the length difference: skip the table when that alone rules a candidate out.
    if (!related && Math.abs(wanted.length - lower.length) > allowed) continue;
    const distance = editDistance(wanted, lower);
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
