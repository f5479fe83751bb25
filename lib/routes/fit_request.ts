/**
 * Makes a request fit the resolved model before it goes upstream: images to a model without image input go
 * to the vision model instead; `max_tokens` is clamped to the output limit and to what the context window
 * leaves; a prompt that cannot fit is a 400 "prompt is too long", the wording Claude Code compacts on.
 */
import type { Config } from "../config.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { HubContentBlock, HubRequest } from "../hub/schema.ts";
import { countRequestTokens, tokenUpperBound } from "../tokens/count_tokens.ts";
import type { Catalog, ResolvedModel } from "../catalog/types.ts";

export interface FitOptions {
  catalog: Catalog;
  config: Config;
}

export interface FittedRequest {
  request: HubRequest;
  model: ResolvedModel;
  /** Response headers explaining what changed (`x-opencode-vision-reroute`). */
  headers: Record<string, string>;
  /** Input tokens as estimated, when the context check had to count. */
  inputTokens?: number;
}

/** Below this many tokens of room for output, the request is refused rather than squeezed. */
const minimumOutputTokens = 1_024;

export const visionRerouteHeader = "x-opencode-vision-reroute";

export async function fitRequest(
  request: HubRequest,
  model: ResolvedModel,
  options: FitOptions,
): Promise<FittedRequest> {
  const headers: Record<string, string> = {};
  let target = model;
  if (!model.capabilities.image && hasImages(request)) {
    target = await resolveVisionModel(options);
    headers[visionRerouteHeader] = `${model.upstreamModel} -> ${target.upstreamModel}`;
  }
  const { context, output } = target.limits;
  let maxTokens = Math.min(request.max_tokens, output);
  let inputTokens: number | undefined;
  // The byte ceiling skips the tokenizer for the many requests that fit by a wide margin.
  if (tokenUpperBound(request) + maxTokens > context) {
    inputTokens = await countRequestTokens(request);
    const room = context - inputTokens;
    if (room < Math.min(minimumOutputTokens, maxTokens)) {
      throw new GatewayError(
        "invalid_request_error",
        // Anthropic's exact wording: Claude Code reads the two numbers to decide how much to compact.
        `prompt is too long: ${inputTokens} tokens > ${
          context - Math.min(minimumOutputTokens, maxTokens)
        } maximum`,
      );
    }
    maxTokens = Math.min(maxTokens, room);
  }
  const fitted = maxTokens === request.max_tokens ? request : { ...request, max_tokens: maxTokens };
  return { request: clampThinkingBudget(fitted), model: target, headers, inputTokens };
}

/** Anthropic-format upstreams reject `budget_tokens >= max_tokens`; keep it just under after a clamp. */
function clampThinkingBudget(request: HubRequest): HubRequest {
  const thinking = request.thinking;
  if (thinking?.type !== "enabled" || thinking.budget_tokens < request.max_tokens) return request;
  const budget = Math.max(1_024, request.max_tokens - 1);
  if (budget >= request.max_tokens) return request;
  return { ...request, thinking: { ...thinking, budget_tokens: budget } };
}

export function hasImages(request: HubRequest): boolean {
  const isImage = (block: HubContentBlock): boolean =>
    block.type === "image" ||
    (block.type === "tool_result" && Array.isArray(block.content) &&
      block.content.some((inner) => inner.type === "image"));
  return request.messages.some((message) =>
    typeof message.content !== "string" && message.content.some(isImage)
  );
}

/**
 * VISION_MODEL when set; otherwise the first image-capable Go model among MODEL_SONNET, MODEL_OPUS,
 * MODEL_HAIKU and then the Go list.
 */
export async function resolveVisionModel({ catalog, config }: FitOptions): Promise<ResolvedModel> {
  if (config.VISION_MODEL) {
    const vision = await catalog.resolve(config.VISION_MODEL);
    if (!vision.capabilities.image) {
      throw new GatewayError(
        "invalid_request_error",
        `The request has images, but VISION_MODEL ${config.VISION_MODEL} does not accept image input`,
      );
    }
    return vision;
  }
  const listed = (await catalog.list({ service: "go" })).map((listing) => listing.id);
  const candidates = [config.MODEL_SONNET, config.MODEL_OPUS, config.MODEL_HAIKU, ...listed];
  for (const name of new Set(candidates)) {
    try {
      const candidate = await catalog.resolve(name, { service: "go" });
      if (candidate.capabilities.image && candidate.capabilities.toolCall) return candidate;
    } catch {
      // Not a Go model (an alias target pointing elsewhere): try the next one.
    }
  }
  throw new GatewayError(
    "invalid_request_error",
    "The request has images, but the model does not accept image input and no vision model is available: set VISION_MODEL",
  );
}
