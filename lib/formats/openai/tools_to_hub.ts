/** OpenAI function tools and tool_choice strings (Chat and Responses share them) → the hub's. */
import type { HubTool, HubToolChoice } from "../../hub/schema.ts";

/** The tool_choice forms of both wires: Chat nests the function's name, Responses puts it on the choice. */
export type OpenaiToolChoice =
  | "none"
  | "auto"
  | "required"
  | { type: string; function?: unknown; name?: string }
  | { type: "allowed_tools"; allowed_tools: { mode: string } };

export function functionTool(
  name: string,
  description: string | null | undefined,
  parameters: unknown,
): HubTool {
  const tool: HubTool = {
    name,
    input_schema: (parameters as Record<string, unknown> | null | undefined) ??
      { type: "object", properties: {} },
  };
  if (description) tool.description = description;
  return tool;
}

/** `tool_choice` + `parallel_tool_calls` → the hub's tool_choice (Chat and Responses share the strings). */
export function toolChoiceToHub(
  choice: OpenaiToolChoice | undefined,
  parallel: boolean | undefined,
): HubToolChoice | undefined {
  const serial = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === "auto") {
    return parallel === false ? { type: "auto", ...serial } : undefined;
  }
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...serial };
  if (choice.type === "function") {
    const name = "function" in choice && choice.function && typeof choice.function === "object"
      ? (choice.function as { name: string }).name
      : (choice as { name: string }).name;
    return { type: "tool", name, ...serial };
  }
  if (choice.type === "allowed_tools" && "allowed_tools" in choice) {
    return { type: choice.allowed_tools.mode === "required" ? "any" : "auto", ...serial };
  }
  return parallel === false ? { type: "auto", ...serial } : undefined;
}
