import assert from "node:assert/strict";
import { decodeSignature, encodeSignature, isGatewaySignature } from "../../lib/hub/signature.ts";

Deno.test("encodeSignature round-trips provider and payload, including binary-ish text", () => {
  const payload = "gAAAAB+/=\u00e9\u4e16";
  const signature = encodeSignature({ provider: "openai-responses", payload });
  assert.ok(signature.startsWith("ocb1.openai-responses."));
  assert.deepEqual(decodeSignature(signature), { provider: "openai-responses", payload });
  assert.ok(isGatewaySignature(signature));
});

Deno.test("decodeSignature rejects signatures the gateway did not mint", () => {
  assert.equal(decodeSignature("EqQBCkYIBxgCKkD..."), undefined);
  assert.equal(decodeSignature(undefined), undefined);
  assert.equal(isGatewaySignature("ErcBCkgIAhABGAIiQ"), false);
});
