/** A small models.dev document for catalog tests (the network source the bundled snapshot stands in for). */

function metadataModel(id: string, npm?: string) {
  return {
    id,
    name: id.toUpperCase(),
    reasoning: true,
    tool_call: true,
    release_date: "2026-05-01",
    modalities: { input: ["text"], output: ["text"] },
    limit: { context: 200_000, output: 50_000 },
    ...(npm ? { provider: { npm } } : {}),
  };
}

/** A models.dev-shaped document: Go has kimi-k2.6, minimax-m3 and a model the snapshot lacks. */
export function fakeModelsDev() {
  const provider = (models: ReturnType<typeof metadataModel>[]) => ({
    npm: "@ai-sdk/openai-compatible",
    models: Object.fromEntries(models.map((model) => [model.id, model])),
  });
  return {
    anthropic: { npm: "@ai-sdk/anthropic", models: {} },
    "opencode-go": provider([
      metadataModel("kimi-k2.6"),
      metadataModel("minimax-m3", "@ai-sdk/anthropic"),
      metadataModel("brand-new-model"),
    ]),
    opencode: provider([metadataModel("gpt-5.5", "@ai-sdk/openai"), metadataModel("kimi-k2.6")]),
  };
}
