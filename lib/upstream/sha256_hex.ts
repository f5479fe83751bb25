/**
 * SHA-256 of a string as lowercase hex, with node:crypto's synchronous hash. `crypto.subtle.digest` was 12 % of
 * a tiny request's CPU in the gateway (an async op, a copy of the input, the webidl checks; twice per request
 * for the session id); node:crypto is 4× faster on a 20 KB text. It is imported on first use: ~1 MiB of RSS a
 * gateway that has not answered yet does not need (docs/performance.md#memory).
 */
type Hash = (text: string) => string;

let loading: Promise<Hash> | undefined;

export async function sha256Hex(text: string): Promise<string> {
  loading ??= import("node:crypto").then(({ createHash }) => (input: string) =>
    createHash("sha256").update(input, "utf8").digest("hex")
  );
  return (await loading)(text);
}
