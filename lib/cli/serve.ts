/**
 * `opencode-bridge` with no command: env → config → Deno KV → Deno.serve(createGateway(...)). Nothing here
 * writes to the file system or calls the network before the first request (Deno Deploy): KV is opened (the
 * platform's on Deploy; without one the gateway runs on), the catalog loads lazily on the first request and
 * the tokenizer (local npm code, ~60 MiB) on the first count. tests/cli/startup_permissions_test.ts holds it
 * to that.
 */
import { ConfigError, loadConfig, openGatewayWarning } from "../config.ts";
import { createGateway } from "../gateway.ts";
import { openGatewayKv } from "./open_gateway_kv.ts";
import { startupSummary } from "./startup_summary.ts";

export async function serve(): Promise<void> {
  let config;
  try {
    config = await loadConfig(Deno.env.toObject());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
  const warning = openGatewayWarning(config);
  if (warning) console.error(warning);
  // Deno Deploy provides KV with no path; locally KV_PATH picks a file (default: Deno's own location).
  const { kv, fatal } = await openGatewayKv(config.KV_PATH, console.error);
  if (fatal) {
    console.error(fatal);
    Deno.exit(1);
  }
  const handler = createGateway(config, { kv });
  Deno.serve({
    port: config.PORT,
    hostname: config.HOSTNAME,
    onListen: ({ hostname, port }) => {
      console.error(`opencode-bridge listening on http://${hostname}:${port}`);
      for (const line of startupSummary(config, { hostname, port })) console.error(`  ${line}`);
    },
  }, handler);
}
