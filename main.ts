/** Entry point: env → config → Deno KV → Deno.serve(createGateway(...)). */
import { ConfigError, loadConfig, openGatewayWarning } from "./lib/config.ts";
import { createGateway } from "./lib/gateway.ts";
import { listenHost } from "./lib/listen_host.ts";
import { loadTokenizer } from "./lib/tokens/tokenizer.ts";

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
  const listen = listenHost(config);
  if (listen.warning) console.error(listen.warning);
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
    hostname: listen.host,
    onListen: ({ hostname, port }) => {
      console.error(`opencode-bridge listening on http://${hostname}:${port}`);
      // Load the tokenizer now rather than on Claude Code's first /context burst (~0.3 s of merge tables).
      loadTokenizer().catch((error) => console.error(`Tokenizer failed to load: ${error.message}`));
    },
  }, handler);
}
