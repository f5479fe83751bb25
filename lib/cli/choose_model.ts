/** Resolves the model names a setup command writes, asking in a terminal until one resolves. */
import type { Catalog, ResolvedModel } from "../catalog/types.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import { compactTokens, formatTable } from "./format_table.ts";
import type { Asker } from "./terminal_prompt.ts";

export class SetupError extends Error {
  override name = "SetupError";
}

/** The catalog's verdict on a name, as a SetupError that says what to do. */
export async function resolveChoice(catalog: Catalog, name: string, flag: string): Promise<ResolvedModel> {
  try {
    return await catalog.resolve(name);
  } catch (error) {
    if (error instanceof GatewayError) {
      throw new SetupError(
        `${flag} ${name}: ${error.message}. List the models with \`deno task models\`.`,
      );
    }
    throw error;
  }
}

/** The Go models that can drive Claude Code (tool calling), as a numbered list to pick from. */
export async function modelMenu(catalog: Catalog): Promise<{ text: string; ids: string[] }> {
  const listings = (await catalog.list({ service: "go" })).filter((listing) =>
    !listing.id.startsWith("claude-")
  );
  const rows: { index: number; id: string; model: ResolvedModel }[] = [];
  for (const listing of listings) {
    const model = await catalog.resolve(listing.id, { service: "go" });
    if (model.capabilities.toolCall) rows.push({ index: rows.length + 1, id: listing.id, model });
  }
  const text = formatTable(rows, [
    { header: "#", value: (row) => String(row.index), align: "right" },
    { header: "MODEL (OpenCode Go)", value: (row) => row.id },
    { header: "CONTEXT", value: (row) => compactTokens(row.model.limits.context), align: "right" },
    { header: "OUTPUT", value: (row) => compactTokens(row.model.limits.output), align: "right" },
    { header: "IMAGES", value: (row) => row.model.capabilities.image ? "✓" : "–" },
  ]);
  return { text, ids: rows.map((row) => row.id) };
}

/**
 * The flag's value when given; otherwise, in a terminal, a menu answer (number or any model name, also Zen's
 * with `opencode/…`); otherwise `fallback`.
 */
export async function chooseModel(
  options: { catalog: Catalog; asker: Asker; say: (line: string) => void },
  flag: string,
  given: string | undefined,
  fallback: string,
): Promise<{ name: string; model: ResolvedModel }> {
  if (given) return { name: given, model: await resolveChoice(options.catalog, given, flag) };
  if (!options.asker.interactive) {
    return { name: fallback, model: await resolveChoice(options.catalog, fallback, flag) };
  }
  const menu = await modelMenu(options.catalog);
  options.say(menu.text);
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = await options.asker.ask("Model for Claude Code (number or name)", { default: fallback });
    const name = /^\d+$/.test(answer) ? menu.ids[Number(answer) - 1] : answer;
    if (!name) {
      options.say(`No model number ${answer}.`);
      continue;
    }
    try {
      return { name, model: await resolveChoice(options.catalog, name, flag) };
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      options.say(error.message);
    }
  }
  throw new SetupError(`No model chosen: pass ${flag} <name>`);
}
