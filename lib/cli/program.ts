/**
 * The command line: no command serves (so `deno task start`, Deno Deploy and a compiled binary behave as
 * before); `setup <client>`, `doctor` and `models` do their job and exit. `--help` (on every command) and
 * `--version` print and exit without starting anything.
 */
import { Command, Option } from "commander";
import denoJson from "../../deno.json" with { type: "json" };
import { loadConfig } from "../config.ts";
import { openCommandCatalog } from "./command_catalog.ts";
import { doctorCommand } from "./doctor_command.ts";
import { describeCatalogSource, modelRows, renderModelsTable } from "./models_table.ts";
import { serve } from "./serve.ts";
import { setupClaudeCode } from "./setup_claude_code.ts";
import { setupSnippet, type SnippetTarget } from "./setup_snippet.ts";
import { terminalAsker } from "./terminal_prompt.ts";

const stdout = (text: string) => console.log(text.replace(/\n$/, ""));
const stderr = (text: string) => console.error(text);

const snippetTargets: Record<SnippetTarget, string> = {
  "claude-desktop": "print the third-party inference values for Claude Desktop (gateway provider)",
  codex: "print ~/.codex/config.toml lines for the Codex CLI",
  opencode: "print an opencode.json provider that goes through the gateway",
  openai: "print the environment and SDK snippets for the OpenAI (and Anthropic) SDKs",
};

export function buildProgram(): Command {
  const program = new Command("opencode-bridge")
    .description(
      "Anthropic- and OpenAI-API gateway to OpenCode Go and Zen. Without a command it serves " +
        "(PORT, HOSTNAME, OPENCODE_API_KEY, GATEWAY_KEYS… from the environment).",
    )
    .version(denoJson.version, "-V, --version", "print the version and exit")
    .helpOption("-h, --help", "show help (every command has its own --help)")
    .showHelpAfterError("(run with --help for usage)")
    .action(serve);

  program.command("serve").description("serve the gateway (the default when no command is given)").action(
    serve,
  );

  const setup = program.command("setup").description("point a client at this gateway");
  setup.command("claude-code")
    .description("write Claude Code's settings.json env block (asks for what is missing in a terminal)")
    .option("--url <url>", "gateway URL (default: http://127.0.0.1:$PORT)")
    .option("--key <key>", "key Claude Code sends: your OpenCode key, or a gateway key with GATEWAY_KEYS")
    .option("--model <id>", "main model (ANTHROPIC_MODEL; also opus and sonnet unless given)")
    .option("--opus <id>", "model the opus alias resolves to")
    .option("--sonnet <id>", "model the sonnet alias resolves to")
    .option("--haiku <id>", "model for the haiku alias and background work (default: $MODEL_HAIKU)")
    .addOption(
      new Option("--scope <scope>", "user: ~/.claude/settings.json; project: .claude/settings.local.json")
        .choices(["user", "project"]).default("user"),
    )
    .option("--print", "only print the env block; change no file")
    .option("--no-discovery", "leave Claude Code's /model list from GET /v1/models off")
    .option("--offline", "use the bundled catalog; do not ask models.dev for limits")
    .action(async (options) => {
      const env = Deno.env.toObject();
      const opened = await openCommandCatalog(await loadConfig(env), { offline: options.offline });
      try {
        Deno.exitCode = await setupClaudeCode(options, {
          env,
          cwd: Deno.cwd(),
          catalog: opened.catalog,
          asker: terminalAsker(),
          out: (text) => Deno.stdout.writeSync(new TextEncoder().encode(text)),
          say: stderr,
        });
      } finally {
        opened.close();
      }
    });
  for (const [target, description] of Object.entries(snippetTargets)) {
    setup.command(target)
      .description(description)
      .option("--url <url>", "gateway URL (default: http://127.0.0.1:$PORT)")
      .option("--model <id...>", "models to offer (default: $MODEL_SONNET, $MODEL_OPUS, $MODEL_HAIKU)")
      .option("--offline", "use the bundled catalog")
      .action(async (options) => {
        const env = Deno.env.toObject();
        const opened = await openCommandCatalog(await loadConfig(env), { offline: options.offline });
        try {
          Deno.exitCode = await setupSnippet(target as SnippetTarget, options, {
            env,
            catalog: opened.catalog,
            out: stdout,
            say: stderr,
          });
        } finally {
          opened.close();
        }
      });
  }

  program.command("doctor")
    .description("check the key, the services, each model family you use, the catalog and Deno KV")
    .option("--key <key>", "OpenCode key to check (default: OPENCODE_API_KEY, else Claude Code's settings)")
    .option("--model <id...>", "models to check (default: Claude Code's settings and MODEL_*)")
    .option("--json", "print the results as JSON")
    .action(async (options) => {
      Deno.exitCode = await doctorCommand(options, {
        env: Deno.env.toObject(),
        cwd: Deno.cwd(),
        out: stdout,
      });
    });

  program.command("models")
    .description("list the catalog: id, service, family, limits, inputs, reasoning, price")
    .addOption(new Option("--service <service>", "only one service").choices(["go", "zen"]))
    .option("--json", "print the rows as JSON")
    .option("--offline", "use the cached or bundled catalog; no network")
    .action(async (options) => {
      const opened = await openCommandCatalog(await loadConfig(Deno.env.toObject()), {
        offline: options.offline,
      });
      try {
        const rows = modelRows(opened.data, options.service);
        if (options.json) stdout(JSON.stringify(rows, null, 2));
        else {
          stdout(renderModelsTable(rows));
          stdout(`\n${describeCatalogSource(opened.data, Date.now())}`);
        }
      } finally {
        opened.close();
      }
    });
  return program;
}

export async function runCli(args: string[]): Promise<void> {
  await buildProgram().parseAsync(args, { from: "user" });
}
