/** Entry point: env → config → Deno KV → Deno.serve(createGateway(...)). */
import { ConfigError, loadConfig, openGatewayWarning } from "./lib/config.ts";
import { createCatalog } from "./lib/catalog/catalog.ts";
import { checkModelSettings } from "./lib/catalog/check_model_settings.ts";
import { createGateway } from "./lib/gateway.ts";
import { createLogger } from "./lib/log/logger.ts";
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
  const logger = createLogger(config);
  const listen = listenHost(config);
  if (listen.warning) logger.log("warn", listen.warning, { event: "listen_host_from_hostname" });
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
  const catalog = createCatalog(config, { kv, fetch: globalThis.fetch, log: logger.log });
  const refusal = await checkModelSettings(catalog, config, logger.log);
  if (refusal) {
    console.error(refusal);
    Deno.exit(1);
  }
  const handler = createGateway(config, { kv, catalog });
  try {
    serve(config.PORT, listen.host, handler);
  } catch (error) {
    console.error(
      `Cannot listen on ${listen.host}:${config.PORT} (from ${listen.setting}): ${
        (error as Error).message
      }. ` +
        `Set LISTEN_HOST to an address of this machine (0.0.0.0 for every interface).`,
    );
    Deno.exit(1);
  }
}

function serve(port: number, hostname: string, handler: (request: Request) => Promise<Response>): void {
  Deno.serve({
    port,
    hostname,
    onListen: ({ hostname, port }) => {
      console.error(`opencode-bridge listening on http://${hostname}:${port}`);
      // Load the tokenizer now rather than on Claude Code's first /context burst (~0.3 s of merge tables).
      loadTokenizer().catch((error) => console.error(`Tokenizer failed to load: ${error.message}`));
    },
  }, handler);
}
