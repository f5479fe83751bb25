/**
 * Hub request → OpenAI Responses request body. Always streamed and stateless (`store: false`): earlier
 * reasoning comes back as encrypted items restored from thinking signatures, never by id.
 */
import type { ResolvedModel } from "../../catalog/types.ts";
import { GatewayError } from "../../errors/gateway_error.ts";
import type { HubRequest, HubTool, HubToolChoice } from "../../hub/schema.ts";
import { openaiResponsesInputFromHub, type ResponsesInputItem } from "./input_from_hub.ts";
import { openaiResponsesEffortFromHub } from "./reasoning_from_hub.ts";
import { systemTextFromHub } from "../../hub/system_text.ts";

export interface ResponsesFunctionTool {
  type: "function";
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict: false;
}

export type OpenaiResponsesUpstreamToolChoice = "auto" | "required" | "none" | {
  type: "function";
  name: string;
};

export interface ResponsesRequestBody {
  model: string;
  instructions?: string;
  input: ResponsesInputItem[];
  tools?: ResponsesFunctionTool[];
  tool_choice?: OpenaiResponsesUpstreamToolChoice;
  parallel_tool_calls?: boolean;
  max_output_tokens: number;
  temperature?: number;
  top_p?: number;
  reasoning?: { effort?: string; summary: "auto" };
  include?: string[];
  store: false;
  stream: true;
  prompt_cache_key?: string;
}

function toolFromHub(tool: HubTool, index: number): ResponsesFunctionTool {
  if (tool.type !== undefined && tool.type !== "custom") {
    throw new GatewayError(
      "invalid_request_error",
      `Server tool "${tool.name}" (${tool.type}) is not supported by the openai-responses upstream`,
      { param: `tools.${index}` },
    );
  }
  return {
    type: "function",
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    parameters: tool.input_schema ?? { type: "object", properties: {} },
    strict: false,
  };
}

function toolChoiceFromHub(choice: HubToolChoice): OpenaiResponsesUpstreamToolChoice {
  switch (choice.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { type: "function", name: choice.name };
  }
}

/** `stop_sequences` and `top_k` have no Responses equivalent and are left out. */
export function openaiResponsesRequestFromHub(
  request: HubRequest,
  model: ResolvedModel,
  sessionId: string,
): ResponsesRequestBody {
  const body: ResponsesRequestBody = {
    model: model.upstreamModel,
    input: openaiResponsesInputFromHub(request.messages, model.upstreamModel),
    max_output_tokens: request.max_tokens,
    store: false,
    stream: true,
    prompt_cache_key: sessionId,
  };
  const instructions = systemTextFromHub(request.system);
  if (instructions) body.instructions = instructions;
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map(toolFromHub);
    const choice = request.tool_choice;
    if (choice) body.tool_choice = toolChoiceFromHub(choice);
    if (choice && choice.type !== "none" && choice.disable_parallel_tool_use === true) {
      body.parallel_tool_calls = false;
    }
  }
  if (model.capabilities.temperature) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.top_p !== undefined) body.top_p = request.top_p;
  }
  if (model.capabilities.reasoning) {
    const effort = openaiResponsesEffortFromHub(request, model.capabilities.efforts);
    body.reasoning = { ...(effort ? { effort } : {}), summary: "auto" };
    // Without this the reasoning cannot be replayed statelessly and every turn starts from scratch.
    body.include = ["reasoning.encrypted_content"];
  }
  return body;
}
