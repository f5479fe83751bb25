import assert from "node:assert/strict";
import type { GatewayError } from "../../../lib/errors/gateway_error.ts";
import { parseOpenaiResponsesRequest } from "../../../lib/formats/openai-responses/client.ts";
import { openaiResponsesRequestToHub } from "../../../lib/formats/openai-responses/request_to_hub.ts";
import { OPENAI_CHAT_SIGNATURE } from "../../../lib/formats/openai/chat_signature.ts";

const toHub = (json: Record<string, unknown>) =>
  openaiResponsesRequestToHub(parseOpenaiResponsesRequest({ model: "m", ...json }), {
    defaultMaxTokens: 8192,
  });

Deno.test("openaiResponsesRequestToHub takes a string input and instructions", () => {
  const { hub } = toHub({ input: "hi", instructions: "Be brief.", max_output_tokens: 100, stream: true });
  assert.deepEqual(hub, {
    model: "m",
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    max_tokens: 100,
    stream: true,
    system: "Be brief.",
  });
});

Deno.test("openaiResponsesRequestToHub folds calls, outputs and reasoning into alternating turns", () => {
  const { hub } = toHub({
    input: [
      { role: "developer", content: "Use tools." },
      { type: "message", role: "user", content: [{ type: "input_text", text: "weather?" }] },
      { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "Two calls." }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking." }] },
      { type: "function_call", call_id: "call_1", name: "weather", arguments: '{"city":"Paris"}' },
      { type: "function_call", call_id: "call_2", name: "weather", arguments: '{"city":"Rome"}' },
      { type: "function_call_output", call_id: "call_1", output: "sunny" },
      {
        type: "function_call_output",
        call_id: "call_2",
        output: [{ type: "input_text", text: "rain" }, {
          type: "input_image",
          image_url: "data:image/png;base64,AA",
        }],
      },
      {
        type: "reasoning",
        summary: [{ type: "summary_text", text: "Done." }],
        encrypted_content: "ocb1.anthropic.eA",
      },
      { role: "assistant", content: "Paris is sunny." },
    ],
  });
  assert.equal(hub.system, "Use tools.");
  assert.deepEqual(hub.messages, [
    { role: "user", content: [{ type: "text", text: "weather?" }] },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Two calls.", signature: OPENAI_CHAT_SIGNATURE },
        { type: "text", text: "Checking." },
        { type: "tool_use", id: "call_1", name: "weather", input: { city: "Paris" } },
        { type: "tool_use", id: "call_2", name: "weather", input: { city: "Rome" } },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "call_1", content: "sunny" },
        {
          type: "tool_result",
          tool_use_id: "call_2",
          content: [
            { type: "text", text: "rain" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "AA" } },
          ],
        },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Done.", signature: "ocb1.anthropic.eA" },
        { type: "text", text: "Paris is sunny." },
      ],
    },
  ]);
});

Deno.test("openaiResponsesRequestToHub maps flat function tools, custom tools and tool_choice", () => {
  const { hub, customTools } = toHub({
    input: "x",
    tools: [
      { type: "function", name: "f", description: "d", parameters: { type: "object" }, strict: true },
      { type: "custom", name: "apply_patch", description: "patch" },
      { type: "web_search" },
    ],
    tool_choice: { type: "function", name: "f" },
    parallel_tool_calls: false,
  });
  assert.deepEqual(hub.tools?.map((tool) => tool.name), ["f", "apply_patch"]);
  assert.deepEqual(hub.tools?.[0], { name: "f", description: "d", input_schema: { type: "object" } });
  assert.deepEqual([...customTools], ["apply_patch"]);
  assert.deepEqual(hub.tool_choice, { type: "tool", name: "f", disable_parallel_tool_use: true });
});

Deno.test("openaiResponsesRequestToHub replays custom tool calls as JSON-wrapped input", () => {
  const { hub } = toHub({
    input: [
      { role: "user", content: "patch it" },
      { type: "custom_tool_call", call_id: "c1", name: "apply_patch", input: "*** Begin Patch" },
      { type: "custom_tool_call_output", call_id: "c1", output: "ok" },
    ],
  });
  assert.deepEqual(hub.messages[1].content, [
    { type: "tool_use", id: "c1", name: "apply_patch", input: { input: "*** Begin Patch" } },
  ]);
});

Deno.test("openaiResponsesRequestToHub maps reasoning.effort and text.format", () => {
  const { hub } = toHub({
    input: "x",
    reasoning: { effort: "medium", summary: "auto" },
    text: { format: { type: "json_object" } },
  });
  assert.deepEqual(hub.thinking, { type: "enabled", budget_tokens: 8191 });
  assert.deepEqual(hub.output_config, { effort: "medium" });
  assert.match(String(hub.system), /JSON object/);
});

Deno.test("openaiResponsesRequestToHub refuses previous_response_id: the gateway is stateless", () => {
  assert.throws(
    () => toHub({ input: "x", previous_response_id: "resp_1" }),
    (error: GatewayError) =>
      error.status === 400 && error.param === "previous_response_id" && /stateless/.test(error.message),
  );
  assert.throws(
    () => toHub({ input: [{ type: "item_reference", id: "msg_1" }] }),
    (error: GatewayError) => error.status === 400 && /stateless/.test(error.message),
  );
});

Deno.test("openaiResponsesRequestToHub names the bad field of an input item", () => {
  assert.throws(
    () => toHub({ input: [{ type: "function_call", name: "f" }] }),
    (error: GatewayError) => error.status === 400 && error.param === "input.0.call_id",
  );
});
