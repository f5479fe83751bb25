/** `setup claude-desktop | codex | opencode | openai`: resolve the models, print the client's snippet. */
import type { Catalog } from "../catalog/types.ts";
import { parseConfig } from "../config.ts";
import { resolveChoice, SetupError } from "./choose_model.ts";
import {
  claudeDesktopSnippet,
  codexSnippet,
  openaiSnippet,
  opencodeSnippet,
  type SnippetInput,
  type SnippetModel,
} from "./client_snippets.ts";
import { defaultGatewayUrl } from "./setup_claude_code.ts";

export type SnippetTarget = "claude-desktop" | "codex" | "opencode" | "openai";

const render: Record<SnippetTarget, (input: SnippetInput) => string> = {
  "claude-desktop": claudeDesktopSnippet,
  codex: codexSnippet,
  opencode: opencodeSnippet,
  openai: openaiSnippet,
};

export interface SnippetDeps {
  env: Record<string, string | undefined>;
  catalog: Catalog;
  out: (text: string) => void;
  say: (text: string) => void;
}

/** Returns the exit code. */
export async function setupSnippet(
  target: SnippetTarget,
  options: { url?: string; model?: string[] },
  deps: SnippetDeps,
): Promise<number> {
  const config = parseConfig(deps.env);
  const names = options.model?.length
    ? options.model
    : [...new Set([config.MODEL_SONNET, config.MODEL_OPUS, config.MODEL_HAIKU])];
  const models: SnippetModel[] = [];
  try {
    for (const name of names) {
      models.push({ name, model: await resolveChoice(deps.catalog, name, "--model") });
    }
    const url = options.url ?? defaultGatewayUrl(deps.env);
    new URL(url);
    deps.out(render[target]({ url, models }));
    return 0;
  } catch (error) {
    if (error instanceof TypeError) {
      deps.say(`✗ --url ${options.url}: not a URL (expected e.g. http://127.0.0.1:8787)`);
      return 1;
    }
    if (!(error instanceof SetupError)) throw error;
    deps.say(`✗ ${error.message}`);
    return 1;
  }
}
