/** Hub request → Gemini `streamGenerateContent` body. */
import type { ResolvedModel } from "../../catalog/types.ts";
import { GatewayError } from "../../errors/gateway_error.ts";
import type { HubRequest, HubTool, HubToolChoice } from "../../hub/schema.ts";
import { systemTextFromHub } from "../../hub/system_text.ts";
import { type GeminiContent, geminiContentsFromHub } from "./contents_from_hub.ts";
import { reduceGeminiSchema } from "./reduce_schema.ts";
import { type GeminiThinkingConfig, geminiThinkingFromHub } from "./thinking_from_hub.ts";

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

export interface GeminiToolConfig {
  functionCallingConfig: { mode: "AUTO" | "ANY" | "NONE"; allowedFunctionNames?: string[] };
}

export interface GeminiGenerationConfig {
  maxOutputTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  thinkingConfig?: GeminiThinkingConfig;
}

export interface GeminiRequestBody {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
  tools?: { functionDeclarations: GeminiFunctionDeclaration[] }[];
  toolConfig?: GeminiToolConfig;
  generationConfig: GeminiGenerationConfig;
}

function declarationFromHub(tool: HubTool, index: number): GeminiFunctionDeclaration {
  if (tool.type !== undefined && tool.type !== "custom") {
    throw new GatewayError(
      "invalid_request_error",
      `Server tool "${tool.name}" (${tool.type}) is not supported by the gemini upstream`,
      { param: `tools.${index}` },
    );
  }
  const parameters = reduceGeminiSchema(tool.input_schema);
  return {
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    ...(parameters ? { parameters } : {}),
  };
}

function toolConfigFromHub(choice: HubToolChoice): GeminiToolConfig {
  switch (choice.type) {
    case "auto":
      return { functionCallingConfig: { mode: "AUTO" } };
    case "any":
      return { functionCallingConfig: { mode: "ANY" } };
    case "none":
      return { functionCallingConfig: { mode: "NONE" } };
    case "tool":
      return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.name] } };
  }
}

/**
 * Claude Code's `role:"system"` entries are appended to `systemInstruction` (see contents_from_hub.ts).
 *
 * @example geminiRequestFromHub(request, model).contents[0].role === "user"
 */
export function geminiRequestFromHub(request: HubRequest, model: ResolvedModel): GeminiRequestBody {
  const { contents, systemTexts } = geminiContentsFromHub(request.messages, model.upstreamModel);
  const body: GeminiRequestBody = { contents, generationConfig: { maxOutputTokens: request.max_tokens } };
  const system = [systemTextFromHub(request.system), ...systemTexts].filter((text) => text !== undefined);
  if (system.length > 0) body.systemInstruction = { parts: [{ text: system.join("\n\n") }] };
  if (request.tools && request.tools.length > 0) {
    body.tools = [{ functionDeclarations: request.tools.map(declarationFromHub) }];
    if (request.tool_choice) body.toolConfig = toolConfigFromHub(request.tool_choice);
  }
  const config = body.generationConfig;
  if (model.capabilities.temperature && request.temperature !== undefined) {
    config.temperature = request.temperature;
  }
  if (request.top_p !== undefined) config.topP = request.top_p;
  if (request.top_k !== undefined) config.topK = request.top_k;
  if (request.stop_sequences && request.stop_sequences.length > 0) {
    config.stopSequences = request.stop_sequences;
  }
  const thinkingConfig = geminiThinkingFromHub(request, model);
  if (thinkingConfig) config.thinkingConfig = thinkingConfig;
  return body;
}
