import assert from "node:assert/strict";
import { GatewayError } from "../../../lib/errors/gateway_error.ts";
import type { HubContentBlock, HubRequest } from "../../../lib/hub/schema.ts";
import { openaiResponsesUpstream } from "../../../lib/formats/openai-responses/mod.ts";
import { encodeReasoningSignature } from "../../../lib/formats/openai-responses/reasoning_signature.ts";
import { openaiResponsesRequestFromHub } from "../../../lib/formats/openai-responses/request_from_hub.ts";
import { responsesModel } from "./responses_model.ts";

const base: HubRequest = { model: "gpt-5.5", max_tokens: 100, messages: [{ role: "user", content: "Hi" }] };

Deno.test("openaiResponsesRequestFromHub maps thinking and effort to reasoning.effort within the model's efforts", async (t) => {
  const cases: { name: string; request: Partial<HubRequest>; efforts: string[] | null; expected?: string }[] =
    [
      { name: "no thinking, no effort: model default", request: {}, efforts: null, expected: undefined },
      {
        name: "bare effort",
        request: { output_config: { effort: "high" } },
        efforts: null,
        expected: "high",
      },
      {
        name: "disabled, efforts unknown",
        request: { thinking: { type: "disabled" } },
        efforts: null,
        expected: "low",
      },
      {
        name: "disabled, none accepted",
        request: { thinking: { type: "disabled" } },
        efforts: ["none", "low", "medium", "high"],
        expected: "none",
      },
      {
        name: "disabled, minimal accepted",
        request: { thinking: { type: "disabled" } },
        efforts: ["minimal", "low", "medium", "high"],
        expected: "minimal",
      },
      { name: "adaptive", request: { thinking: { type: "adaptive" } }, efforts: null, expected: "medium" },
      {
        name: "adaptive with effort xhigh, efforts unknown",
        request: { thinking: { type: "adaptive" }, output_config: { effort: "xhigh" } },
        efforts: null,
        expected: "high",
      },
      {
        name: "adaptive with effort max, xhigh accepted",
        request: { thinking: { type: "adaptive" }, output_config: { effort: "max" } },
        efforts: ["low", "medium", "high", "xhigh"],
        expected: "xhigh",
      },
      {
        name: "budget 2k",
        request: { thinking: { type: "enabled", budget_tokens: 2_000 } },
        efforts: null,
        expected: "low",
      },
      {
        name: "budget 10k",
        request: { thinking: { type: "enabled", budget_tokens: 10_000 } },
        efforts: null,
        expected: "medium",
      },
      {
        name: "budget 20k",
        request: { thinking: { type: "enabled", budget_tokens: 20_000 } },
        efforts: null,
        expected: "high",
      },
      {
        name: "budget 64k with xhigh",
        request: { thinking: { type: "enabled", budget_tokens: 64_000 } },
        efforts: ["low", "medium", "high", "xhigh"],
        expected: "xhigh",
      },
      {
        name: "only high accepted",
        request: { thinking: { type: "enabled", budget_tokens: 2_000 } },
        efforts: ["high"],
        expected: "high",
      },
    ];
  for (const { name, request, efforts, expected } of cases) {
    await t.step(name, () => {
      const body = openaiResponsesRequestFromHub({ ...base, ...request }, responsesModel({ efforts }), "s");
      assert.deepEqual(body.reasoning, { ...(expected ? { effort: expected } : {}), summary: "auto" });
      assert.deepEqual(body.include, ["reasoning.encrypted_content"]);
    });
  }
});

Deno.test("openaiResponsesRequestFromHub leaves reasoning out for a model without it", () => {
  const body = openaiResponsesRequestFromHub(
    { ...base, thinking: { type: "adaptive" } },
    responsesModel({ reasoning: false }),
    "s",
  );
  assert.equal(body.reasoning, undefined);
  assert.equal(body.include, undefined);
});

Deno.test("openaiResponsesRequestFromHub sends temperature only where the model takes it, never stop sequences", () => {
  const request = { ...base, temperature: 0.3, top_p: 0.9, top_k: 5, stop_sequences: ["END"] };
  const without = openaiResponsesRequestFromHub(request, responsesModel(), "s") as unknown as Record<
    string,
    unknown
  >;
  assert.equal(without.temperature, undefined);
  assert.equal(without.stop, undefined);
  const withTemperature = openaiResponsesRequestFromHub(request, responsesModel({ temperature: true }), "s");
  assert.equal(withTemperature.temperature, 0.3);
  assert.equal(withTemperature.top_p, 0.9);
});

Deno.test("openaiResponsesRequestFromHub maps tool_choice and parallel tool use", async (t) => {
  const tools = [{ name: "Bash", input_schema: { type: "object", properties: {} } }];
  const cases = [
    { choice: { type: "auto" as const }, expected: "auto" },
    { choice: { type: "any" as const }, expected: "required" },
    { choice: { type: "none" as const }, expected: "none" },
    { choice: { type: "tool" as const, name: "Bash" }, expected: { type: "function", name: "Bash" } },
  ];
  for (const { choice, expected } of cases) {
    await t.step(choice.type, () => {
      const body = openaiResponsesRequestFromHub(
        { ...base, tools, tool_choice: choice },
        responsesModel(),
        "s",
      );
      assert.deepEqual(body.tool_choice, expected);
      assert.equal(body.tools?.[0].name, "Bash");
    });
  }
  await t.step("disable_parallel_tool_use", () => {
    const body = openaiResponsesRequestFromHub(
      { ...base, tools, tool_choice: { type: "auto", disable_parallel_tool_use: true } },
      responsesModel(),
      "s",
    );
    assert.equal(body.parallel_tool_calls, false);
  });
  await t.step("a tool without input_schema gets an empty object schema", () => {
    const body = openaiResponsesRequestFromHub({ ...base, tools: [{ name: "Ping" }] }, responsesModel(), "s");
    assert.deepEqual(body.tools?.[0].parameters, { type: "object", properties: {} });
  });
  await t.step("a server tool is a 400", () => {
    assert.throws(
      () =>
        openaiResponsesRequestFromHub(
          { ...base, tools: [{ name: "web_search", type: "web_search_20250305" }] },
          responsesModel(),
          "s",
        ),
      (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === "tools.0",
    );
  });
});

Deno.test("openaiResponsesRequestFromHub drops the billing header from a string system prompt", () => {
  const body = openaiResponsesRequestFromHub(
    { ...base, system: "x-anthropic-billing-header: cc_version=1;\nBe brief." },
    responsesModel(),
    "s",
  );
  assert.equal(body.instructions, "Be brief.");
});

Deno.test("openaiResponsesRequestFromHub orders items and restores only this model's reasoning", () => {
  const own = encodeReasoningSignature(
    { id: "rs_1", encrypted_content: "enc", summary: [{ text: "plan" }] },
    "gpt-5.5",
  );
  const otherModel = encodeReasoningSignature({ id: "rs_2", encrypted_content: "enc2" }, "gpt-5.4");
  const body = openaiResponsesRequestFromHub(
    {
      ...base,
      messages: [
        { role: "user", content: "Go" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "plan", signature: own },
            { type: "text", text: "Running." },
            { type: "thinking", thinking: "old", signature: otherModel },
            { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_1",
              content: [{ type: "text", text: "a" }, {
                type: "image",
                source: { type: "base64", media_type: "image/png", data: "AA==" },
              }],
            },
            { type: "tool_result", tool_use_id: "toolu_gone", content: "stale", is_error: true },
            { type: "text", text: "Next?" },
          ],
        },
      ],
    },
    responsesModel(),
    "s",
  );
  assert.deepEqual(body.input, [
    { type: "message", role: "user", content: [{ type: "input_text", text: "Go" }] },
    {
      type: "reasoning",
      id: "rs_1",
      encrypted_content: "enc",
      summary: [{ type: "summary_text", text: "plan" }],
    },
    { type: "message", role: "assistant", content: "Running." },
    { type: "function_call", call_id: "toolu_1", name: "Bash", arguments: '{"command":"ls"}' },
    {
      type: "function_call_output",
      call_id: "toolu_1",
      output: [
        { type: "input_text", text: "a" },
        { type: "input_image", image_url: "data:image/png;base64,AA==", detail: "auto" },
      ],
    },
    {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "[Error from an earlier tool call toolu_gone]\nstale" },
        { type: "input_text", text: "Next?" },
      ],
    },
  ]);
});

// Client saw: a failed tool call (is_error: true) reach gpt-5.5 as if it had succeeded, since the output went
// as plain text (the Chat wire says `Error: …`, Gemini `{error}`).
Deno.test("openaiResponsesRequestFromHub says a failed tool call failed", () => {
  const png = { type: "base64" as const, media_type: "image/png", data: "iVBORw0KGgo=" };
  const results: Extract<HubContentBlock, { type: "tool_result" }>[] = [
    { type: "tool_result", tool_use_id: "c1", content: "/tmp", is_error: true },
    { type: "tool_result", tool_use_id: "c2", content: [{ type: "text", text: "exit 1" }], is_error: true },
    { type: "tool_result", tool_use_id: "c3", is_error: true },
    {
      type: "tool_result",
      tool_use_id: "c4",
      content: [{ type: "text", text: "broken" }, { type: "image", source: png }],
      is_error: true,
    },
    { type: "tool_result", tool_use_id: "c5", content: [{ type: "image", source: png }], is_error: true },
    { type: "tool_result", tool_use_id: "c6", content: "fine", is_error: false },
  ];
  const body = openaiResponsesRequestFromHub(
    {
      ...base,
      messages: [
        { role: "user", content: "Go" },
        {
          role: "assistant",
          content: results.map((result) => ({
            type: "tool_use" as const,
            id: result.tool_use_id,
            name: "Bash",
            input: {},
          })),
        },
        { role: "user", content: results },
      ],
    },
    responsesModel(),
    "s",
  );
  const image = { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" };
  assert.deepEqual(
    body.input.filter((item) => item.type === "function_call_output").map((item) => item.output),
    [
      "Error: /tmp",
      "Error: exit 1",
      "Error",
      [{ type: "input_text", text: "Error: broken" }, image],
      [{ type: "input_text", text: "Error" }, image],
      "fine",
    ],
  );
});

Deno.test("openaiResponsesUpstream.buildRequest posts to {base}/responses with Bearer auth and session", () => {
  const request = openaiResponsesUpstream.buildRequest(base, {
    model: responsesModel(),
    apiKey: "sk-1",
    sessionId: "sess-1",
    clientHeaders: new Headers(),
  });
  assert.equal(request.url, "https://up.test/zen/v1/responses");
  assert.equal(new Headers(request.headers).get("authorization"), "Bearer sk-1");
  assert.equal(new Headers(request.headers).get("x-opencode-session"), "sess-1");
  assert.equal(new Headers(request.headers).get("user-agent"), "opencode-bridge/0.1.0");
  const body = JSON.parse(request.body);
  assert.equal(body.stream, true);
  assert.equal(body.store, false);
  assert.equal(body.prompt_cache_key, "sess-1");
});
