/**
 * `opencode-bridge` with no command: env → config → Deno KV → Deno.serve(createGateway(...)). Nothing here
 * writes to the file system or calls the network before the first request (Deno Deploy): KV is opened (the
 * platform's on Deploy; without one the gateway runs on), the catalog loads lazily on the first request and
 * the tokenizer (local npm code, ~60 MiB) on the first count. tests/cli/startup_permissions_test.ts holds it
 * to that.
 */
import { createCatalog } from "../catalog/catalog.ts";
import { checkModelSettings } from "../catalog/check_model_settings.ts";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { openGatewayWarning } from "../open_gateway_warning.ts";
import { listenHost } from "../listen_host.ts";
import { createLogger } from "../log/logger.ts";
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
  const logger = createLogger(config);
  const listen = listenHost(config);
  if (listen.warning) logger.log("warn", listen.warning, { event: "listen_host_from_hostname" });
  // Deno Deploy provides KV with no path; locally KV_PATH picks a file (default: Deno's own location).
  const { kv, fatal } = await openGatewayKv(config.KV_PATH, console.error);
  if (fatal) {
    console.error(fatal);
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
    listenOn(config, listen.host, handler);
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

function listenOn(config: Config, host: string, handler: (request: Request) => Promise<Response>): void {
  Deno.serve({
    port: config.PORT,
    hostname: host,
    onListen: ({ hostname, port }) => {
      console.error(`opencode-bridge listening on http://${hostname}:${port}`);
      for (const line of startupSummary(config, { hostname, port })) console.error(`  ${line}`);
    },
  }, handler);
}
