import assert from "node:assert/strict";
import { bundledSnapshot } from "../../lib/catalog/catalog.ts";
import { buildCatalogData } from "../../lib/catalog/catalog_data.ts";
import { renderModelsTable } from "../../lib/cli/models_table.ts";
import { parseConfig } from "../../lib/config.ts";
import { providerModelRows } from "../../lib/providers/provider_model_rows.ts";
import { providersSchema } from "../../lib/providers/provider_schema.ts";

const data = buildCatalogData(bundledSnapshot(), {
  source: "snapshot",
  fetchedAt: 0,
  expiresAt: 0,
  live: {},
});

Deno.test("providerModelRows: the `models` command lists provider models with their provider", async () => {
  const providers = providersSchema.parse([{
    name: "local",
    baseUrl: "http://127.0.0.1:11434/v1",
    format: "openai-chat",
    discover: true,
    models: [{ id: "coder", upstreamId: "qwen3-coder:30b", context: 65536, output: 8192, reasoning: true }],
  }]);
  const config = parseConfig({}, providers);
  // Offline: the file's models only; discovery is not asked.
  const rows = await providerModelRows(data, config, {
    offline: true,
    fetch: () => Promise.reject(new Error("must not be called")),
  });
  assert.deepEqual(rows, [{
    id: "local/coder",
    name: "coder",
    service: "local",
    family: "openai-chat",
    endpoint: "/chat/completions",
    context: 65536,
    output: 8192,
    images: false,
    pdf: false,
    reasoning: true,
    price: null,
    status: null,
  }]);
  assert.match(renderModelsTable(rows), /local\/coder\s+local\s+openai-chat/);
  // Online, discovery adds what the provider lists.
  const online = await providerModelRows(data, config, {
    fetch: () => Promise.resolve(Response.json({ data: [{ id: "llama3.2:3b" }] })),
  });
  assert.deepEqual(online.map((row) => row.id), ["local/coder", "local/llama3.2:3b"]);
  assert.deepEqual(await providerModelRows(data, parseConfig({})), []);
});
