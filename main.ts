/** Entry point: env → config → Deno KV → Deno.serve(createGateway(...)). */
import { ConfigError, loadConfig, openGatewayWarning } from "./lib/config.ts";
import { createGateway } from "./lib/gateway.ts";

if (import.meta.main) {
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
  let kv: Deno.Kv;
  try {
    kv = await Deno.openKv(config.KV_PATH);
  } catch (error) {
    console.error(
      `Cannot open Deno KV${config.KV_PATH ? ` at KV_PATH=${config.KV_PATH}` : ""}: ${
        (error as Error).message
      }`,
    );
    Deno.exit(1);
  }
  const handler = createGateway(config, { kv });
  Deno.serve({
    port: config.PORT,
    hostname: config.HOSTNAME,
    onListen: ({ hostname, port }) => {
      console.error(`opencode-bridge listening on http://${hostname}:${port}`);
    },
  }, handler);
}
