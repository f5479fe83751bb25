/**
 * The validation a strict Anthropic-compatible upstream (MiniMax or Qwen behind OpenCode) applies, with
 * Anthropic's own wording, so Claude Code and the gateway see the same 400s as in production. Returns the
 * first violation's message, or undefined when the request is acceptable.
 */

const TOP_LEVEL = new Set([
  "model",
  "messages",
  "system",
  "max_tokens",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "tools",
  "tool_choice",
  "thinking",
  "metadata",
]);
const TOOL_FIELDS = new Set(["name", "description", "input_schema", "cache_control", "type"]);
const ID = /^[a-zA-Z0-9_-]+$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Header checks: what OpenCode and the provider answer before looking at the body. */
export function checkHeaders(
  headers: Headers,
): { status: number; type: string; message: string } | undefined {
  if (!headers.get("x-api-key")) return { status: 401, type: "AuthError", message: "Missing API key." };
  if (!headers.get("x-opencode-session")) {
    return {
      status: 400,
      type: "MissingSessionID",
      message:
        "Error from provider (Console Go): Request is missing x-opencode-session and cannot be routed efficiently. Please see https://opencode.ai/docs/go/#where-can-i-use-it",
    };
  }
  if (!headers.get("anthropic-version")) {
    return { status: 400, type: "invalid_request_error", message: "anthropic-version: header is required" };
  }
  const betas = headers.get("anthropic-beta");
  if (betas) {
    const list = betas.split(",").map((beta) => `\`${beta.trim()}\``).join(", ");
    return {
      status: 400,
      type: "invalid_request_error",
      message:
        `Unexpected value(s) ${list} for the \`anthropic-beta\` header. Please consult our documentation at docs.anthropic.com or try again without the header.`,
    };
  }
  return undefined;
}

/** Body checks; `signatures` are the ones this upstream minted (anything else is foreign). */
export function checkBody(body: unknown, signatures: ReadonlySet<string>): string | undefined {
  if (!isObject(body)) return "body: Input should be a valid dictionary";
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key)) return `${key}: Extra inputs are not permitted`;
  }
  if (typeof body.model !== "string" || body.model === "") return "model: Field required";
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== "number") return "max_tokens: Field required";
  const userId = isObject(body.metadata) ? body.metadata.user_id : undefined;
  if (typeof userId === "string" && !ID.test(userId)) {
    return "metadata.user_id: String should match pattern '^[a-zA-Z0-9_-]+$'";
  }
  return checkThinking(body.thinking, maxTokens) ?? checkSystem(body.system) ?? checkTools(body.tools) ??
    checkMessages(body.messages, signatures) ?? checkCacheControl(body);
}

function checkThinking(thinking: unknown, maxTokens: number): string | undefined {
  if (thinking === undefined) return undefined;
  if (!isObject(thinking)) return "thinking: Input should be a valid dictionary";
  if (thinking.type !== "enabled" && thinking.type !== "disabled") {
    return `thinking: Input tag '${thinking.type}' found using 'type' does not match any of the expected tags: 'disabled', 'enabled'`;
  }
  for (const key of Object.keys(thinking)) {
    if (key !== "type" && !(thinking.type === "enabled" && key === "budget_tokens")) {
      return `thinking.${thinking.type}.${key}: Extra inputs are not permitted`;
    }
  }
  if (thinking.type === "disabled") return undefined;
  const budget = thinking.budget_tokens;
  if (typeof budget !== "number") return "thinking.enabled.budget_tokens: Field required";
  if (budget < 1024) return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";
  if (budget >= maxTokens) return "`max_tokens` must be greater than `thinking.budget_tokens`";
  return undefined;
}

function checkSystem(system: unknown): string | undefined {
  if (system === undefined || typeof system === "string") return undefined;
  if (!Array.isArray(system)) return "system: Input should be a valid list";
  for (const [index, block] of system.entries()) {
    if (!isObject(block) || block.type !== "text") return `system.${index}.type: Input should be 'text'`;
    if (typeof block.text !== "string" || block.text.trim() === "") {
      return "system: text content blocks must be non-empty";
    }
  }
  return undefined;
}

function checkTools(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return "tools: Input should be a valid list";
  for (const [index, tool] of tools.entries()) {
    if (!isObject(tool)) return `tools.${index}: Input should be a valid dictionary`;
    for (const key of Object.keys(tool)) {
      if (!TOOL_FIELDS.has(key)) return `tools.${index}.custom.${key}: Extra inputs are not permitted`;
    }
    if (tool.type !== undefined && tool.type !== "custom") {
      return `tools.${index}: Input tag '${tool.type}' found using 'type' does not match any of the expected tags: 'custom'`;
    }
    if (!isObject(tool.input_schema)) return `tools.${index}.custom.input_schema: Field required`;
  }
  return undefined;
}

function checkMessages(messages: unknown, signatures: ReadonlySet<string>): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return "messages: Field required";
  let previousRole: unknown;
  let pendingToolIds: string[] = [];
  for (const [index, message] of messages.entries()) {
    if (!isObject(message)) return `messages.${index}: Input should be a valid dictionary`;
    if (message.role !== "user" && message.role !== "assistant") {
      return `messages.${index}.role: Input should be 'user' or 'assistant'`;
    }
    if (message.role === previousRole) {
      return `messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`;
    }
    previousRole = message.role;
    const content = typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : message.content;
    if (!Array.isArray(content) || content.length === 0) {
      return `messages.${index}: all messages must have non-empty content except for the optional final assistant message`;
    }
    const problem = checkBlocks(content, `messages.${index}`, signatures, pendingToolIds);
    if (problem) return problem;
    pendingToolIds = message.role === "assistant"
      ? content.filter((block) => isObject(block) && block.type === "tool_use").map((block) =>
        String(block.id)
      )
      : [];
  }
  return undefined;
}

function checkBlocks(
  content: unknown[],
  path: string,
  signatures: ReadonlySet<string>,
  expectedResults: string[],
): string | undefined {
  const results: string[] = [];
  let sawOther = false;
  for (const [index, block] of content.entries()) {
    if (!isObject(block)) return `${path}.content.${index}: Input should be a valid dictionary`;
    const at = `${path}.content.${index}`;
    if (block.type === "text" && (typeof block.text !== "string" || block.text.trim() === "")) {
      return "messages: text content blocks must be non-empty";
    }
    if (block.type === "thinking") {
      if (typeof block.signature !== "string" || block.signature === "") {
        return `${at}.thinking.signature: Field required`;
      }
      if (!signatures.has(block.signature)) return `${at}: Invalid \`signature\` in \`thinking\` block`;
    }
    if (block.type === "redacted_thinking" && !signatures.has(String(block.data))) {
      return `${at}: Invalid \`data\` in \`redacted_thinking\` block`;
    }
    if (block.type === "tool_use" && (typeof block.id !== "string" || !ID.test(block.id))) {
      return `${at}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
    }
    if (block.type === "tool_result") {
      if (sawOther) {
        return `${path}: tool_result blocks must come first in the content array, before any other content`;
      }
      const id = String(block.tool_use_id);
      if (!expectedResults.includes(id)) {
        return `${path}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
      results.push(id);
    } else {
      sawOther = true;
    }
  }
  const missing = expectedResults.filter((id) => !results.includes(id));
  if (missing.length > 0) {
    return `${path}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${
      missing.join(", ")
    }. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
  }
  return undefined;
}

function checkCacheControl(body: Json): string | undefined {
  let count = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      if (isObject(value.cache_control)) count++;
      for (const [key, inner] of Object.entries(value)) if (key !== "cache_control") visit(inner);
    }
  };
  visit([body.system, body.messages, body.tools]);
  return count > 4 ? `A maximum of 4 blocks with cache_control may be provided. Found ${count}.` : undefined;
}
