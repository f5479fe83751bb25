import assert from "node:assert/strict";
import { startupSummary } from "../../lib/cli/startup_summary.ts";
import { parseConfig } from "../../lib/config.ts";
import { providerSummary } from "../../lib/providers/provider_summary.ts";
import { providersSchema } from "../../lib/providers/provider_schema.ts";

const providers = providersSchema.parse([
  {
    name: "local",
    baseUrl: "http://user:secret-pass@127.0.0.1:11434/v1/",
    format: "openai-chat",
    discover: true,
    models: [{ id: "coder" }],
  },
  {
    name: "azure",
    baseUrl: "https://r.openai.azure.com",
    format: "openai-chat",
    apiKey: "az-summary-key-77",
    azure: { apiVersion: "2024-10-21" },
    models: [{ id: "a" }, { id: "b" }],
  },
]);

Deno.test("providerSummary: one startup line per provider, never a key or URL credentials", () => {
  const lines = providerSummary(parseConfig({}, providers));
  assert.deepEqual(lines, [
    "provider local: openai-chat at http://127.0.0.1:11434/v1, 1 model + what its /models lists as local/<id>, " +
    "each client's own key",
    "provider azure: openai-chat (Azure) at https://r.openai.azure.com, 2 models as azure/<id>, its own key",
  ]);
  const summary = startupSummary(parseConfig({}, providers), { hostname: "127.0.0.1", port: 8787 }).join(
    "\n",
  );
  assert(summary.includes("provider local:"));
  assert(!summary.includes("secret-pass") && !summary.includes("az-summary-key-77"));
});
