/**
 * What `setup claude-desktop`, `setup codex`, `setup opencode` and `setup openai` print: the values and
 * snippets that point each client at the gateway. Keys are never filled in: each snippet names the variable
 * (or placeholder) to put the key in, so the output can be pasted into shared documents safely.
 */
import { gatewayAliasFor, looksLikeClaude } from "../catalog/model_names.ts";
import type { ResolvedModel } from "../catalog/types.ts";
import { normalizeBaseUrl } from "./claude_code_env.ts";

export interface SnippetModel {
  /** The name the user chose (as the gateway resolves it). */
  name: string;
  model: ResolvedModel;
}

export interface SnippetInput {
  url: string;
  models: SnippetModel[];
}

const serviceLabel = { go: "OpenCode Go", zen: "OpenCode Zen" } as const;

/** A name Claude Desktop keeps in its picker: Claude-looking ids as they are, others as `claude-go-<id>`. */
export function desktopModelName(choice: SnippetModel): string {
  const service = choice.model.service;
  // A configured provider's model has no claude-<service>- alias: its own name is all there is.
  if (looksLikeClaude(choice.name) || (service !== "go" && service !== "zen")) return choice.name;
  return gatewayAliasFor(service, choice.model.upstreamModel) ?? choice.name;
}

export function claudeDesktopSnippet(input: SnippetInput): string {
  const base = normalizeBaseUrl(input.url);
  const models = input.models.map((choice) => ({
    name: desktopModelName(choice),
    labelOverride: `${choice.model.upstreamModel} (${
      serviceLabel[choice.model.service as keyof typeof serviceLabel] ?? choice.model.service
    })`,
  }));
  const values = {
    inferenceProvider: "gateway",
    inferenceGatewayBaseUrl: base,
    inferenceGatewayApiKey: "<your OpenCode key, or a gateway key when the gateway sets GATEWAY_KEYS>",
    inferenceGatewayAuthScheme: "bearer",
    inferenceModels: JSON.stringify(models),
  };
  const lines = [
    'Claude Desktop → Developer → Configure Third-Party Inference… → Connection: Inference provider "Gateway",',
    "then these values (MDM / .mobileconfig keys on the left):",
    "",
    ...Object.entries(values).map(([key, value]) => `  ${key.padEnd(28)} ${value}`),
    "",
    "The model names are claude-go-<id> aliases because Desktop keeps only Claude-looking names; the gateway",
    "routes each alias to its OpenCode model. With every entry a full id, Desktop skips GET /v1/models.",
  ];
  if (!base.startsWith("https://")) {
    lines.push(
      "",
      `Note: Desktop requires an https:// gateway URL; ${base} is not. Deploy the gateway (Deno Deploy gives`,
      "an https address) or put it behind a TLS proxy.",
    );
  }
  return lines.join("\n");
}

export function codexSnippet(input: SnippetInput): string {
  const main = input.models[0];
  return [
    "# ~/.codex/config.toml",
    `model = "${main.name}"`,
    `model_provider = "opencode-bridge"`,
    // Codex knows no OpenCode model: without this it assumes a default window for compaction and its meter.
    `model_context_window = ${main.model.limits.context}`,
    "",
    "[model_providers.opencode-bridge]",
    `name = "opencode-bridge"`,
    `base_url = "${normalizeBaseUrl(input.url)}/v1"`,
    `env_key = "OPENCODE_API_KEY"`,
    `wire_api = "responses"`,
    "",
    "# then, in the shell that runs codex:",
    "export OPENCODE_API_KEY=<your OpenCode key, or a gateway key when the gateway sets GATEWAY_KEYS>",
  ].join("\n");
}

export function opencodeSnippet(input: SnippetInput): string {
  const models = Object.fromEntries(input.models.map((choice) => [choice.name, {
    name: `${choice.model.upstreamModel} via opencode-bridge`,
    limit: { context: choice.model.limits.context, output: choice.model.limits.output },
  }]));
  const config = {
    $schema: "https://opencode.ai/config.json",
    provider: {
      "opencode-bridge": {
        npm: "@ai-sdk/anthropic",
        name: "opencode-bridge",
        options: { baseURL: `${normalizeBaseUrl(input.url)}/v1`, apiKey: "{env:OPENCODE_API_KEY}" },
        models,
      },
    },
    model: `opencode-bridge/${input.models[0].name}`,
  };
  return [
    "// opencode.json (project) or ~/.config/opencode/opencode.json — OpenCode talks to Go and Zen itself;",
    "// go through the gateway for its shared key, logs and fallbacks.",
    JSON.stringify(config, null, 2),
  ].join("\n");
}

export function openaiSnippet(input: SnippetInput): string {
  const base = `${normalizeBaseUrl(input.url)}/v1`;
  const model = input.models[0].name;
  return [
    "# Environment for the OpenAI SDKs (Chat Completions and Responses) and the Anthropic SDKs:",
    `export OPENAI_BASE_URL=${base}`,
    "export OPENAI_API_KEY=<your OpenCode key, or a gateway key when the gateway sets GATEWAY_KEYS>",
    `export ANTHROPIC_BASE_URL=${normalizeBaseUrl(input.url)}`,
    "",
    "# TypeScript (npm:openai)",
    'import OpenAI from "openai";',
    "const client = new OpenAI(); // reads OPENAI_BASE_URL and OPENAI_API_KEY",
    `const reply = await client.chat.completions.create({ model: "${model}", messages: [{ role: "user", content: "Hello" }] });`,
    "console.log(reply.choices[0].message.content);",
    "",
    "# Python (pip install openai)",
    "from openai import OpenAI",
    "client = OpenAI()  # reads OPENAI_BASE_URL and OPENAI_API_KEY",
    `reply = client.responses.create(model="${model}", input="Hello")`,
    "print(reply.output_text)",
  ].join("\n");
}
