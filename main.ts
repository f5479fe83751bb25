/**
 * Entry point. No arguments: serve (env → config → Deno KV → Deno.serve(createGateway(...))), as `deno task
 * start`, Deno Deploy and a compiled binary run it. With a command (`setup`, `doctor`, `models`, `--help`):
 * that command. See lib/cli/program.ts.
 */
import { runCli } from "./lib/cli/program.ts";

if (import.meta.main) await runCli(Deno.args);
