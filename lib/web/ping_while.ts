/** Keep-alive while a web tool runs: Anthropic pings in that pause, and Claude Code aborts a silent stream. */
import type { RoundComposer } from "./round_composer.ts";

export async function* pingWhile(
  work: Promise<unknown>,
  intervalMs: number,
  composer: RoundComposer,
): AsyncGenerator<string> {
  if (intervalMs <= 0) return;
  let settled = false;
  work.then(() => settled = true, () => settled = true);
  while (!settled) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(true), intervalMs));
    const done = await Promise.race([work.then(() => false, () => false), tick]);
    clearTimeout(timer);
    if (!done || settled) return;
    yield composer.ping();
  }
}
