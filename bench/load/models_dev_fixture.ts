/** The models.dev-shaped `api.json` the fake upstream serves: each benchmark id with its family's SDK package. */
import { allModelIds, families, type Family } from "./replies.ts";

type Json = Record<string, unknown>;

const npmByFamily: Record<Family, string> = {
  "openai-chat": "@ai-sdk/openai-compatible",
  anthropic: "@ai-sdk/anthropic",
  "openai-responses": "@ai-sdk/openai",
  gemini: "@ai-sdk/google",
};

export function modelsDev(): Json {
  const models: Json = {};
  for (const id of allModelIds()) {
    const family = families.find((name) => id.startsWith(`bench-${name}-`))!;
    models[id] = {
      id,
      name: id,
      reasoning: false,
      tool_call: true,
      temperature: true,
      modalities: { input: ["text"], output: ["text"] },
      limit: { context: 262_144, output: 65_536 },
      provider: { npm: npmByFamily[family] },
    };
  }
  return {
    "opencode-go": { id: "opencode-go", npm: "@ai-sdk/openai-compatible", models },
    opencode: { id: "opencode", npm: "@ai-sdk/openai-compatible", models: {} },
  };
}
