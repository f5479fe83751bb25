import assert from "node:assert/strict";
import { sha256Hex } from "../../lib/upstream/sha256_hex.ts";

async function subtleHex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

Deno.test("sha256Hex gives what crypto.subtle gave for the same text, so session ids do not change", async () => {
  const texts = ["", "abc", "héllo wörld ✓ 𝄞", "lone \ud800 surrogate", "x".repeat(100_000)];
  for (const text of texts) {
    assert.equal(await sha256Hex(text), await subtleHex(text), JSON.stringify(text.slice(0, 20)));
  }
  // The standard test vector, to pin the encoding and the hex form.
  assert.equal(await sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
