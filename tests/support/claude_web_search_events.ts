/**
 * What Anthropic streams when Claude runs web_search itself (Zen's Claude): the `server_tool_use` call with its
 * query in fragments, the `web_search_tool_result`, then one text block carrying a `citations_delta` before its
 * text, and usage counting the search. Fakes playing Claude on Zen (tests/web/, tests/e2e/) stream these.
 */
export type ClaudeEvent = { type: string; [key: string]: unknown };

export interface ClaudeSearchAnswer {
  messageId: string;
  toolId: string;
  /** The query's JSON as the upstream splits it over input_json_delta events. */
  queryFragments: string[];
  results: unknown[];
  citation: Record<string, unknown>;
  text: string;
  usage: { input: number; firstOutput: number; output: number };
}

export function claudeWebSearchEvents(model: string, answer: ClaudeSearchAnswer): ClaudeEvent[] {
  const { messageId, toolId, usage } = answer;
  return [
    {
      type: "message_start",
      message: {
        id: messageId,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.firstOutput },
      },
    },
    {
      type: "content_block_start",
      index: 0,
      content_block: { type: "server_tool_use", id: toolId, name: "web_search", input: {} },
    },
    ...answer.queryFragments.map((partial_json) => ({
      type: "content_block_delta",
      index: 0,
      delta: { type: "input_json_delta", partial_json },
    })),
    { type: "content_block_stop", index: 0 },
    {
      type: "content_block_start",
      index: 1,
      content_block: { type: "web_search_tool_result", tool_use_id: toolId, content: answer.results },
    },
    { type: "content_block_stop", index: 1 },
    { type: "content_block_start", index: 2, content_block: { type: "text", text: "", citations: [] } },
    { type: "content_block_delta", index: 2, delta: { type: "citations_delta", citation: answer.citation } },
    { type: "content_block_delta", index: 2, delta: { type: "text_delta", text: answer.text } },
    { type: "content_block_stop", index: 2 },
    {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: usage.output, server_tool_use: { web_search_requests: 1 } },
    },
    { type: "message_stop" },
  ];
}
