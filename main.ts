/**
 * Entry point. No arguments: serve (env → config → Deno KV → Deno.serve(createGateway(...))), as `deno task
 * start`, Deno Deploy and a compiled binary run it. With a command (`setup`, `doctor`, `models`, `--help`):
 * that command. See lib/cli/program.ts.
 */
import { serve } from "./lib/cli/serve.ts";

if (import.meta.main) {
  // The command line (commander, doctor, setup) is loaded only when a command is given: a server never uses it,
  // and it costs ~4 MiB of idle RSS (docs/performance.md#memory).
  if (Deno.args.length === 0) await serve();
  else await (await import("./lib/cli/program.ts")).runCli(Deno.args);
}
