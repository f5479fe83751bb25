/** Unix seconds, the `created` / `created_at` field of every OpenAI object the gateway writes. */

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
