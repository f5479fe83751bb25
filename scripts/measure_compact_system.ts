/**
 * Measures `compactSystem` on recorded Claude Code requests: system-prompt tokens (top-level system blocks and
 * `role:"system"` messages) and whole-request tokens, before and after. The recordings are read at run time
 * from the argument, FIXTURES_DIR, or the repository's sibling ../shared/fixtures/claude-code, and never copied
 * into the repository.
 *
 *   deno run -A scripts/measure_compact_system.ts [dir]
 */
import { parseAnthropicRequest } from "../lib/formats/anthropic/client.ts";
import type { HubRequest } from "../lib/hub/schema.ts";
import { compactSystemPrompt, systemTexts } from "../lib/providers/compact_system.ts";
import { countRequestTokens } from "../lib/tokens/count_tokens.ts";
import { loadTokenizer } from "../lib/tokens/tokenizer.ts";

// The repository's sibling `../shared` (the layout the recordings come in), unless told otherwise.
const dir = Deno.args[0] ?? Deno.env.get("FIXTURES_DIR") ??
  decodeURIComponent(new URL("../../shared/fixtures/claude-code", import.meta.url).pathname);

async function systemTokens(request: HubRequest): Promise<number> {
  const count = await loadTokenizer();
  return systemTexts(request).reduce((sum, text) => sum + count(text), 0);
}

const rows: string[] = [];
let systemBefore = 0, systemAfter = 0, totalBefore = 0, totalAfter = 0;
for await (const entry of Deno.readDir(dir)) {
  if (!entry.name.endsWith(".jsonl")) continue;
  const lines = (await Deno.readTextFile(`${dir}/${entry.name}`)).split("\n").filter((line) => line.trim());
  for (const [index, line] of lines.entries()) {
    const recorded = JSON.parse(line) as { path?: string; body?: unknown };
    if (!recorded.path?.startsWith("/v1/messages") || recorded.path.includes("count_tokens")) continue;
    const body = typeof recorded.body === "string" ? JSON.parse(recorded.body) : recorded.body;
    let request: HubRequest;
    try {
      request = parseAnthropicRequest(body);
    } catch {
      continue;
    }
    const compacted = compactSystemPrompt(request).request;
    const [sb, sa, tb, ta] = await Promise.all([
      systemTokens(request),
      systemTokens(compacted),
      countRequestTokens(request),
      countRequestTokens(compacted),
    ]);
    systemBefore += sb;
    systemAfter += sa;
    totalBefore += tb;
    totalAfter += ta;
    rows.push(
      `${entry.name}#${index + 1}\tsystem ${sb} → ${sa} (−${pct(sb - sa, sb)})\trequest ${tb} → ${ta} (−${
        pct(tb - ta, tb)
      })`,
    );
  }
}

function pct(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${(100 * part / whole).toFixed(1)}%`;
}

console.log(rows.sort().join("\n"));
console.log(
  `TOTAL ${rows.length} requests\tsystem ${systemBefore} → ${systemAfter} (−${
    pct(systemBefore - systemAfter, systemBefore)
  })` +
    `\trequest ${totalBefore} → ${totalAfter} (−${pct(totalBefore - totalAfter, totalBefore)})`,
);
