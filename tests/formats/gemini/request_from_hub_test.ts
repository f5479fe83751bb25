import assert from "node:assert/strict";
import type { HubRequest } from "../../../lib/hub/schema.ts";
import { geminiUpstream } from "../../../lib/formats/gemini/mod.ts";
import { geminiRequestFromHub } from "../../../lib/formats/gemini/request_from_hub.ts";
import {
  encodeThoughtSignature,
  SKIP_THOUGHT_SIGNATURE,
} from "../../../lib/formats/gemini/thought_signature.ts";
import { geminiModel } from "./gemini_model.ts";

const base: HubRequest = {
  model: "gemini-3.1-pro",
  max_tokens: 100,
  messages: [{ role: "user", content: "Hi" }],
};
const model = "gemini-3.1-pro";

Deno.test("geminiRequestFromHub maps thinking and effort to thinkingConfig", async (t) => {
  const cases: {
    name: string;
    request: Partial<HubRequest>;
    efforts?: string[] | null;
    expected: unknown;
  }[] = [
    { name: "nothing asked: model default", request: {}, expected: undefined },
    {
      name: "disabled",
      request: { thinking: { type: "disabled" } },
      expected: { includeThoughts: false, thinkingLevel: "LOW" },
    },
    {
      name: "disabled on a model with minimal",
      request: { thinking: { type: "disabled" } },
      efforts: ["minimal", "low", "medium", "high"],
      expected: { includeThoughts: false, thinkingLevel: "MINIMAL" },
    },
    {
      name: "adaptive",
      request: { thinking: { type: "adaptive" } },
      expected: { includeThoughts: true, thinkingLevel: "HIGH" },
    },
    {
      name: "adaptive, medium accepted",
      request: { thinking: { type: "adaptive" } },
      efforts: ["low", "medium", "high"],
      expected: { includeThoughts: true, thinkingLevel: "MEDIUM" },
    },
    {
      name: "adaptive, effort low",
      request: { thinking: { type: "adaptive" }, output_config: { effort: "low" } },
      expected: { includeThoughts: true, thinkingLevel: "LOW" },
    },
    {
      name: "budget",
      request: { thinking: { type: "enabled", budget_tokens: 4_096 } },
      expected: { includeThoughts: true, thinkingBudget: 4_096 },
    },
    {
      name: "bare effort: level without thoughts",
      request: { output_config: { effort: "max" } },
      expected: { includeThoughts: false, thinkingLevel: "HIGH" },
    },
  ];
  for (const { name, request, efforts, expected } of cases) {
    await t.step(name, () => {
      const body = geminiRequestFromHub({ ...base, ...request }, geminiModel({ efforts: efforts ?? null }));
      assert.deepEqual(body.generationConfig.thinkingConfig, expected);
    });
  }
  await t.step("no reasoning capability: no thinkingConfig", () => {
    const body = geminiRequestFromHub(
      { ...base, thinking: { type: "adaptive" } },
      geminiModel({ reasoning: false }),
    );
    assert.equal(body.generationConfig.thinkingConfig, undefined);
  });
});

Deno.test("geminiRequestFromHub maps tool_choice to functionCallingConfig", async (t) => {
  const tools = [{
    name: "Bash",
    input_schema: { type: "object", properties: { command: { type: "string" } } },
  }];
  const cases = [
    { choice: { type: "auto" as const }, expected: { mode: "AUTO" } },
    { choice: { type: "any" as const }, expected: { mode: "ANY" } },
    { choice: { type: "none" as const }, expected: { mode: "NONE" } },
    {
      choice: { type: "tool" as const, name: "Bash" },
      expected: { mode: "ANY", allowedFunctionNames: ["Bash"] },
    },
  ];
  for (const { choice, expected } of cases) {
    await t.step(choice.type, () => {
      const body = geminiRequestFromHub({ ...base, tools, tool_choice: choice }, geminiModel());
      assert.deepEqual(body.toolConfig, { functionCallingConfig: expected });
    });
  }
  await t.step("a tool without arguments has no parameters", () => {
    const body = geminiRequestFromHub(
      { ...base, tools: [{ name: "Ping", description: "p" }] },
      geminiModel(),
    );
    assert.deepEqual(body.tools, [{ functionDeclarations: [{ name: "Ping", description: "p" }] }]);
  });
});

Deno.test("geminiRequestFromHub puts each thought signature back on the part it came with", () => {
  const callSignature = encodeThoughtSignature({
    model,
    thoughtSignature: "c2lnLWNhbGw=",
    target: "functionCall",
  });
  const textSignature = encodeThoughtSignature({ model, thoughtSignature: "c2lnLXRleHQ=", target: "text" });
  const foreignModel = encodeThoughtSignature({
    model: "gemini-3-flash",
    thoughtSignature: "b2xk",
    target: "text",
  });
  const body = geminiRequestFromHub({
    ...base,
    messages: [
      { role: "user", content: "Go" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me look." },
          { type: "thinking", thinking: "", signature: callSignature },
          { type: "tool_use", id: "toolu_gm_1_a", name: "Read", input: { path: "/a" } },
          { type: "tool_use", id: "toolu_gm_2_b", name: "Read", input: { path: "/b" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_gm_1_a", content: "A" },
          { type: "tool_result", tool_use_id: "toolu_gm_2_b", content: "B" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "old", signature: foreignModel },
          { type: "text", text: "Both read." },
          { type: "thinking", thinking: "", signature: textSignature },
        ],
      },
      { role: "user", content: "Thanks" },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_unknown", content: "late" }] },
    ],
  }, geminiModel());
  assert.deepEqual(body.contents, [
    { role: "user", parts: [{ text: "Go" }] },
    {
      role: "model",
      parts: [
        { text: "Let me look." },
        { functionCall: { name: "Read", args: { path: "/a" } }, thoughtSignature: "c2lnLWNhbGw=" },
        { functionCall: { name: "Read", args: { path: "/b" } } },
      ],
    },
    {
      role: "user",
      parts: [
        { functionResponse: { name: "Read", response: { output: "A" } } },
        { functionResponse: { name: "Read", response: { output: "B" } } },
      ],
    },
    { role: "model", parts: [{ text: "Both read.", thoughtSignature: "c2lnLXRleHQ=" }] },
    {
      role: "user",
      parts: [{ text: "Thanks" }, { text: "[Result of an earlier tool call toolu_unknown]\nlate" }],
    },
  ]);
});

Deno.test("geminiRequestFromHub puts a text signature on an empty part when the turn has no text", () => {
  const textSignature = encodeThoughtSignature({ model, thoughtSignature: "c2ln", target: "text" });
  const body = geminiRequestFromHub({
    ...base,
    messages: [
      { role: "user", content: "Go" },
      { role: "assistant", content: [{ type: "thinking", thinking: "hm", signature: textSignature }] },
      { role: "user", content: "Again" },
    ],
  }, geminiModel());
  assert.deepEqual(body.contents[1], { role: "model", parts: [{ text: "", thoughtSignature: "c2ln" }] });
});

// Client saw: 400 "Function call is missing a thought_signature in functionCall parts" once the tool loop
// had started on another model.
Deno.test("geminiRequestFromHub signs the first unsigned call of every step with the placeholder", () => {
  const callSignature = encodeThoughtSignature({
    model,
    thoughtSignature: "c2lnLWNhbGw=",
    target: "functionCall",
  });
  const body = geminiRequestFromHub({
    ...base,
    messages: [
      { role: "user", content: "Go" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Reading." },
          { type: "tool_use", id: "functions.Read:0", name: "Read", input: { path: "/a" } },
          { type: "tool_use", id: "functions.Read:1", name: "Read", input: { path: "/b" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "functions.Read:0", content: "A" },
          { type: "tool_result", tool_use_id: "functions.Read:1", content: "B" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "", signature: callSignature },
          { type: "tool_use", id: "toolu_gm_1_c", name: "Read", input: { path: "/c" } },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_gm_1_c", content: "C" }] },
      { role: "assistant", content: "Done." },
    ],
  }, geminiModel());
  assert.deepEqual(
    body.contents.filter((content) => content.role === "model").map((content) => content.parts),
    [
      [
        { text: "Reading." },
        { functionCall: { name: "Read", args: { path: "/a" } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
        { functionCall: { name: "Read", args: { path: "/b" } } },
      ],
      [{ functionCall: { name: "Read", args: { path: "/c" } }, thoughtSignature: "c2lnLWNhbGw=" }],
      [{ text: "Done." }],
    ],
  );
  assert.equal(SKIP_THOUGHT_SIGNATURE, "skip_thought_signature_validator");
});

Deno.test("geminiUpstream.buildRequest streams from {base}/models/{model}:streamGenerateContent?alt=sse", () => {
  const request = geminiUpstream.buildRequest(base, {
    model: geminiModel(),
    apiKey: "key-1",
    sessionId: "sess-1",
    clientHeaders: new Headers(),
  });
  assert.equal(request.url, "https://up.test/zen/v1/models/gemini-3.1-pro:streamGenerateContent?alt=sse");
  assert.equal(new Headers(request.headers).get("x-goog-api-key"), "key-1");
  assert.equal(new Headers(request.headers).get("authorization"), null);
  assert.equal(new Headers(request.headers).get("x-opencode-session"), "sess-1");
  assert.equal(new Headers(request.headers).get("user-agent"), "opencode-bridge/0.1.0");
});
