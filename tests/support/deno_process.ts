/** What tests need to run this repository's entry point as a user would: paths, a clean environment, a port. */

export const mainPath = decodeURIComponent(new URL("../../main.ts", import.meta.url).pathname);
export const configPath = decodeURIComponent(new URL("../../deno.json", import.meta.url).pathname);

/** The variables a child `deno` needs to find its cache; nothing else is inherited. */
export function baseProcessEnv(): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? "",
    NO_COLOR: "1",
  };
}

/** A loopback port that was free a moment ago (bound, read, released). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
