/**
 * The server's KV: the one at KV_PATH must open (the operator chose it); the default one (Deno Deploy's, when
 * the app has one attached) is only a cache, so without it the gateway serves with the catalog in memory.
 */
export type OpenKv = (path?: string) => Promise<Deno.Kv>;

export async function openGatewayKv(
  path: string | undefined,
  log: (line: string) => void,
  open: OpenKv = Deno.openKv,
): Promise<{ kv?: Deno.Kv; fatal?: string }> {
  try {
    return { kv: await open(path) };
  } catch (error) {
    const message = (error as Error).message;
    if (path) return { fatal: `Cannot open Deno KV at KV_PATH=${path}: ${message}` };
    log(`Deno KV is not available (${message}); the model catalog is cached in memory only.`);
    return {};
  }
}
