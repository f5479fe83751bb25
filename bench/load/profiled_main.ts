/**
 * main.ts for `bench/load/profile.ts`: the same server, but SIGTERM ends it through `Deno.exit`, so V8 writes
 * the `--cpu-prof` profile (a signal's default action would kill the process before it is written).
 */
import { serve } from "../../lib/cli/serve.ts";

Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
await serve();
