import assert from "node:assert/strict";
import type { HubRequest } from "../../../lib/hub/schema.ts";
import { requestSchema } from "../../../lib/hub/schema.ts";
import {
  nearestEffort,
  openaiChatRequestFromHub,
} from "../../../lib/formats/openai-chat/request_from_hub.ts";
import { chatModel } from "./chat_model.ts";

/** Parsed through the hub schema, as the route does, so the tests see the same shapes. */
function hub(request: Record<string, unknown>): HubRequest {
  return requestSchema.parse({ model: "kimi-k2.6", max_tokens: 1024, ...request });
}

const PNG = "iVBORw0KGgo=";

// Shaped after the recorded Claude Code 2.1.330 turns (fixtures/claude-code), with our own prompt text.
const claudeCodeRequest = hub({
  max_tokens: 32000,
  stream: true,
  thinking: { type: "adaptive", display: "updates" },
  output_config: { effort: "high" },
  context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
  metadata: { user_id: '{"device_id":"d","account_uuid":"","session_id":"s-1"}' },
  system: [
    { type: "text", text: "x-anthropic-billing-header: cc_version=9.9.9; cc_entrypoint=cli;" },
    { type: "text", text: "You are a test agent.", cache_control: { type: "ephemeral" } },
    { type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } },
  ],
  messages: [
    {
      role: "user",
      content: [{ type: "text", text: "make notes.txt", cache_control: { type: "ephemeral" } }],
    },
    { role: "system", content: "# Environment\nPlatform: test" },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Need a file.", signature: "ocb1.openai-chat." },
        { type: "text", text: "Creating it." },
        {
          type: "tool_use",
          id: "functions.Write:0",
          name: "Write",
          input: { file_path: "/w/notes.txt", content: "x" },
        },
      ],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "functions.Write:0",
          content: "Wrote 1 line",
          cache_control: { type: "ephemeral" },
        },
      ],
    },
  ],
  tools: [
    {
      name: "Write",
      description: "Write a file",
      input_schema: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        properties: { file_path: { type: "string" }, content: { type: "string" } },
        required: ["file_path", "content"],
        additionalProperties: false,
      },
    },
    {
      name: "DeferredToolPlaceholder",
      description: "",
      input_schema: { type: "object", properties: {} },
      defer_loading: true,
    },
    { type: "web_search_20250305", name: "web_search", max_uses: 3 },
  ],
});

Deno.test("openaiChatRequestFromHub converts a Claude Code turn with billing header, system entry and thinking replay", () => {
  const body = openaiChatRequestFromHub(claudeCodeRequest, chatModel());
  assert.deepEqual(body, {
    model: "kimi-k2.6",
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: 32000,
    thinking: { type: "enabled" },
    messages: [
      { role: "system", content: "You are a test agent.\n\nBe brief." },
      { role: "user", content: "make notes.txt" },
      { role: "system", content: "# Environment\nPlatform: test" },
      {
        role: "assistant",
        content: "Creating it.",
        reasoning_content: "Need a file.",
        tool_calls: [{
          id: "functions.Write:0",
          type: "function",
          function: { name: "Write", arguments: '{"file_path":"/w/notes.txt","content":"x"}' },
        }],
      },
      { role: "tool", tool_call_id: "functions.Write:0", content: "Wrote 1 line" },
    ],
    tools: [{
      type: "function",
      function: {
        name: "Write",
        description: "Write a file",
        parameters: {
          type: "object",
          properties: { file_path: { type: "string" }, content: { type: "string" } },
          required: ["file_path", "content"],
          additionalProperties: false,
        },
      },
    }],
  });
  const serialized = JSON.stringify(body);
  for (
    const field of [
      "cache_control",
      "context_management",
      "metadata",
      "output_config",
      "billing-header",
      "$schema",
    ]
  ) {
    assert.ok(!serialized.includes(field), `${field} must not be forwarded`);
  }
});

Deno.test("openaiChatRequestFromHub leaves the hub request untouched (fallbacks reuse it)", () => {
  const before = structuredClone(claudeCodeRequest);
  openaiChatRequestFromHub(claudeCodeRequest, chatModel());
  assert.deepEqual(claudeCodeRequest, before);
});

type Case = {
  name: string;
  request: Record<string, unknown>;
  capabilities?: Parameters<typeof chatModel>[0];
  /** Subset of the body to compare; keys set to undefined must be absent. */
  expected: Record<string, unknown>;
};

const user = (content: unknown) => ({ role: "user", content });
const assistant = (content: unknown) => ({ role: "assistant", content });

const cases: Case[] = [
  {
    name: "string system and string user content",
    request: { system: "Be kind.", messages: [user("hi")] },
    expected: { messages: [{ role: "system", content: "Be kind." }, { role: "user", content: "hi" }] },
  },
  {
    name: "billing header only dropped when it is the first block",
    request: {
      system: [{ type: "text", text: "Intro" }, { type: "text", text: "x-anthropic-billing-header: later" }],
      messages: [user("hi")],
    },
    expected: {
      messages: [{ role: "system", content: "Intro\n\nx-anthropic-billing-header: later" }, {
        role: "user",
        content: "hi",
      }],
    },
  },
  {
    name: "images as image_url parts: base64 → data URL, url → url, empty text dropped",
    request: {
      messages: [user([
        { type: "text", text: "" },
        { type: "text", text: "What is this?" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        { type: "image", source: { type: "url", url: "https://img.example/a.jpg" } },
      ])],
    },
    expected: {
      messages: [user([
        { type: "text", text: "What is this?" },
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        { type: "image_url", image_url: { url: "https://img.example/a.jpg" } },
      ])],
    },
  },
  {
    name: "tool results go first, split from the rest of the user turn; is_error and images handled",
    request: {
      messages: [
        user("run both"),
        assistant([
          { type: "tool_use", id: "call_a", name: "Bash", input: { command: "false" } },
          { type: "tool_use", id: "call_b", name: "Screenshot", input: {} },
        ]),
        user([
          { type: "text", text: "also check this" },
          {
            type: "tool_result",
            tool_use_id: "call_b",
            content: [
              { type: "text", text: "captured" },
              { type: "image", source: { type: "base64", media_type: "image/jpeg", data: PNG } },
            ],
          },
          {
            type: "tool_result",
            tool_use_id: "call_a",
            content: [{ type: "text", text: "exit 1" }],
            is_error: true,
          },
        ]),
      ],
    },
    expected: {
      messages: [
        user("run both"),
        {
          role: "assistant",
          content: "",
          reasoning_content: "",
          tool_calls: [
            { id: "call_a", type: "function", function: { name: "Bash", arguments: '{"command":"false"}' } },
            { id: "call_b", type: "function", function: { name: "Screenshot", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_a", content: "Error: exit 1" },
        { role: "tool", tool_call_id: "call_b", content: "captured\n(1 image in the next message)" },
        user([
          { type: "image_url", image_url: { url: `data:image/jpeg;base64,${PNG}` } },
          { type: "text", text: "also check this" },
        ]),
      ],
    },
  },
  {
    name: "unanswered tool call gets a stand-in; orphan result becomes text; empty result says so",
    request: {
      messages: [
        assistant([
          { type: "tool_use", id: "c1", name: "Read", input: { path: "a" } },
          { type: "tool_use", id: "c2", name: "Read", input: { path: "b" } },
        ]),
        user([
          { type: "tool_result", tool_use_id: "c1", content: "" },
          { type: "tool_result", tool_use_id: "zz", content: "late" },
        ]),
      ],
    },
    capabilities: { interleavedField: null },
    expected: {
      messages: [
        {
          role: "assistant",
          content: "",
          tool_calls: [
            { id: "c1", type: "function", function: { name: "Read", arguments: '{"path":"a"}' } },
            { id: "c2", type: "function", function: { name: "Read", arguments: '{"path":"b"}' } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "(no output)" },
        { role: "tool", tool_call_id: "c2", content: "(no result: the tool call was interrupted)" },
        user("[Result of tool call zz]\nlate"),
      ],
    },
  },
  {
    name: "a system entry between a call and its results waits until after the tool messages",
    request: {
      messages: [
        assistant([{ type: "tool_use", id: "c1", name: "Read", input: {} }]),
        { role: "system", content: "reminder" },
        user([{ type: "tool_result", tool_use_id: "c1", content: "ok" }]),
      ],
    },
    expected: {
      messages: [
        {
          role: "assistant",
          content: "",
          reasoning_content: "",
          tool_calls: [{ id: "c1", type: "function", function: { name: "Read", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c1", content: "ok" },
        { role: "system", content: "reminder" },
      ],
    },
  },
  {
    name: "several thinking blocks join; redacted thinking dropped; reasoning_details field honoured",
    request: {
      messages: [
        user("q"),
        assistant([
          { type: "thinking", thinking: "one", signature: "s" },
          { type: "redacted_thinking", data: "opaque" },
          { type: "thinking", thinking: "two", signature: "s" },
          { type: "text", text: "A" },
        ]),
      ],
    },
    capabilities: { interleavedField: "reasoning_details" },
    expected: {
      messages: [user("q"), {
        role: "assistant",
        content: "A",
        reasoning_details: [{ type: "reasoning.text", text: "one\n\ntwo" }],
      }],
    },
  },
  {
    name: "assistant with only redacted thinking is skipped",
    request: { messages: [user("q"), assistant([{ type: "redacted_thinking", data: "x" }]), user("again")] },
    expected: { messages: [user("q"), user("again")] },
  },
  {
    name: "sampling: temperature, top_p, stop; top_k never forwarded; max_tokens clamped to the model limit",
    request: {
      messages: [user("x")],
      max_tokens: 200_000,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ["END"],
    },
    expected: { max_tokens: 65_536, temperature: 0.3, top_p: 0.9, stop: ["END"], top_k: undefined },
  },
  {
    name: "temperature dropped for a model that does not take it",
    request: { messages: [user("x")], temperature: 0.3 },
    capabilities: { temperature: false },
    expected: { temperature: undefined },
  },
  {
    name: "thinking disabled is forwarded as disabled and forced tool choice is kept",
    request: {
      messages: [user("x")],
      thinking: { type: "disabled" },
      tools: [{ name: "Read", input_schema: { type: "object", properties: {} } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    },
    expected: { thinking: { type: "disabled" }, tool_choice: "required", parallel_tool_calls: false },
  },
  {
    name: "named tool choice without thinking",
    request: {
      messages: [user("x")],
      thinking: { type: "disabled" },
      tools: [{ name: "Read", input_schema: { type: "object" } }],
      tool_choice: { type: "tool", name: "Read" },
    },
    expected: { tool_choice: { type: "function", function: { name: "Read" } } },
  },
  {
    // Changed on purpose: this request used to keep thinking and send `auto` for every model. A model that can
    // turn thinking off (Kimi K2.6 here) now keeps the forced choice and thinks no more for this turn.
    name: "forced tool choice while thinking turns thinking off on a model that refuses both (Kimi K2.6)",
    request: {
      messages: [user("x")],
      thinking: { type: "enabled", budget_tokens: 2048 },
      tools: [{ name: "Read", input_schema: { type: "object" } }],
      tool_choice: { type: "tool", name: "Read" },
    },
    expected: {
      thinking: { type: "disabled" },
      tool_choice: { type: "function", function: { name: "Read" } },
    },
  },
  {
    name:
      "forced tool choice degrades to auto while thinking on an always-thinking model (Kimi 400s otherwise)",
    request: {
      messages: [user("x")],
      thinking: { type: "enabled", budget_tokens: 2048 },
      tools: [{ name: "Read", input_schema: { type: "object" } }],
      tool_choice: { type: "tool", name: "Read" },
    },
    capabilities: { thinkingAlwaysOn: true },
    expected: { thinking: undefined, tool_choice: "auto" },
  },
  {
    name: "tool_choice auto and none",
    request: {
      messages: [user("x")],
      tools: [{ name: "Read", input_schema: { type: "object" } }],
      tool_choice: { type: "none" },
    },
    expected: { tool_choice: "none", parallel_tool_calls: undefined },
  },
  {
    name: "no tools left after dropping server and deferred tools: no tools, no tool_choice",
    request: {
      messages: [user("x")],
      tools: [{ type: "web_search_20250305", name: "web_search" }, { name: "Later", defer_loading: true }],
      tool_choice: { type: "auto" },
    },
    expected: { tools: undefined, tool_choice: undefined },
  },
  {
    name: "nested $schema stripped, a property named $schema kept, missing schema becomes an empty object",
    request: {
      messages: [user("x")],
      tools: [
        {
          name: "Config",
          type: "custom",
          strict: true,
          eager_input_streaming: true,
          cache_control: { type: "ephemeral" },
          input_schema: {
            $schema: "https://json-schema.org/draft/2020-12/schema",
            type: "object",
            properties: {
              $schema: { type: "string" },
              items: {
                type: "array",
                items: { $schema: "x", type: "object", additionalProperties: { type: "number" } },
              },
              choice: { anyOf: [{ $schema: "x", type: "string" }, { type: "null" }] },
            },
            $defs: { thing: { $schema: "x", type: "string" } },
          },
        },
        { name: "NoSchema" },
      ],
    },
    expected: {
      tools: [
        {
          type: "function",
          function: {
            name: "Config",
            parameters: {
              type: "object",
              properties: {
                $schema: { type: "string" },
                items: { type: "array", items: { type: "object", additionalProperties: { type: "number" } } },
                choice: { anyOf: [{ type: "string" }, { type: "null" }] },
              },
              $defs: { thing: { type: "string" } },
            },
          },
        },
        { type: "function", function: { name: "NoSchema", parameters: { type: "object", properties: {} } } },
      ],
    },
  },
  {
    name: "effort from output_config mapped to the nearest accepted value",
    request: { messages: [user("x")], thinking: { type: "adaptive" }, output_config: { effort: "medium" } },
    capabilities: { efforts: ["high", "max"] },
    expected: { thinking: { type: "enabled" }, reasoning_effort: "high" },
  },
  {
    name: "effort from a thinking budget",
    request: { messages: [user("x")], thinking: { type: "enabled", budget_tokens: 50_000 } },
    capabilities: { efforts: ["low", "high", "max"] },
    expected: { reasoning_effort: "max" },
  },
  {
    name: "no reasoning_effort when the catalog lists none, or thinking is off",
    request: { messages: [user("x")], thinking: { type: "disabled" }, output_config: { effort: "high" } },
    capabilities: { efforts: ["high"] },
    expected: { reasoning_effort: undefined, thinking: { type: "disabled" } },
  },
  {
    name: "a non-reasoning model gets no thinking field",
    request: { messages: [user("x")], thinking: { type: "adaptive" }, output_config: { effort: "high" } },
    capabilities: { reasoning: false, efforts: ["high"] },
    expected: { thinking: undefined, reasoning_effort: undefined },
  },
  {
    name: "broken tool input collected as _raw_arguments is resent raw",
    request: {
      messages: [
        assistant([{ type: "tool_use", id: "c", name: "Edit", input: { _raw_arguments: '{"a":' } }]),
      ],
    },
    capabilities: { interleavedField: null },
    expected: {
      messages: [{
        role: "assistant",
        content: "",
        tool_calls: [{ id: "c", type: "function", function: { name: "Edit", arguments: '{"a":' } }],
      }],
    },
  },
  {
    name: "PDF documents as file parts, text documents as text",
    request: {
      messages: [user([
        {
          type: "document",
          source: { type: "base64", media_type: "application/pdf", data: "JVBER" },
          title: "spec.pdf",
        },
        { type: "document", source: { type: "text", media_type: "text/plain", data: "plain doc" } },
      ])],
    },
    expected: {
      messages: [user([
        { type: "file", file: { file_data: "data:application/pdf;base64,JVBER", filename: "spec.pdf" } },
        { type: "text", text: "plain doc" },
      ])],
    },
  },
];

for (const testCase of cases) {
  Deno.test(`openaiChatRequestFromHub: ${testCase.name}`, () => {
    const body = openaiChatRequestFromHub(
      hub(testCase.request),
      chatModel(testCase.capabilities),
    ) as unknown as Record<
      string,
      unknown
    >;
    for (const [key, value] of Object.entries(testCase.expected)) {
      if (value === undefined) {
        assert.ok(!(key in body), `${key} should be absent, got ${JSON.stringify(body[key])}`);
      } else assert.deepEqual(body[key], value, key);
    }
  });
}

// Catalog profiles (lib/catalog/quirks.ts) the forced-choice matrix runs over.
const profiles = {
  /** DeepSeek, GLM, MiMo: nothing known, the client's choice is forwarded. */
  open: { toolChoiceWithThinking: ["auto", "required", "named"], thinkingAlwaysOn: false },
  kimiK2: { toolChoiceWithThinking: ["auto"], thinkingAlwaysOn: false },
  kimiCode: { toolChoiceWithThinking: ["auto"], thinkingAlwaysOn: true },
  kimiK3: {
    toolChoiceWithThinking: ["auto", "required"],
    thinkingAlwaysOn: true,
    efforts: ["low", "high", "max"],
  },
  plain: { reasoning: false },
} satisfies Record<string, Parameters<typeof chatModel>[0]>;

const thinkingModes = {
  absent: undefined,
  enabled: { type: "enabled", budget_tokens: 2048 },
  adaptive: { type: "adaptive" },
  disabled: { type: "disabled" },
};

const named = { type: "function", function: { name: "Read" } };
const both = ["Read", "Write"];

/** [profile, tool_choice type, thinking, expected thinking field, tool_choice, tool names, reasoning_effort] */
const forcedMatrix: [
  keyof typeof profiles,
  "any" | "tool" | "auto" | "none",
  keyof typeof thinkingModes,
  unknown,
  unknown,
  string[],
  string | undefined,
][] = [
  ["open", "any", "absent", undefined, "required", both, undefined],
  ["open", "any", "enabled", { type: "enabled" }, "required", both, undefined],
  ["open", "any", "disabled", { type: "disabled" }, "required", both, undefined],
  ["open", "tool", "absent", undefined, named, both, undefined],
  ["open", "tool", "adaptive", { type: "enabled" }, named, both, undefined],
  // Kimi K2.x: the forced choice wins, thinking goes off for the turn.
  ["kimiK2", "any", "absent", { type: "disabled" }, "required", both, undefined],
  ["kimiK2", "any", "enabled", { type: "disabled" }, "required", both, undefined],
  ["kimiK2", "any", "disabled", { type: "disabled" }, "required", both, undefined],
  ["kimiK2", "tool", "absent", { type: "disabled" }, named, both, undefined],
  ["kimiK2", "tool", "adaptive", { type: "disabled" }, named, both, undefined],
  ["kimiK2", "auto", "absent", undefined, "auto", both, undefined],
  ["kimiK2", "auto", "enabled", { type: "enabled" }, "auto", both, undefined],
  ["kimiK2", "none", "absent", undefined, "none", both, undefined],
  // kimi-k2.7-code: cannot stop thinking and takes only `auto`; never sent `disabled`.
  ["kimiCode", "any", "absent", undefined, "auto", both, undefined],
  ["kimiCode", "any", "disabled", undefined, "auto", both, undefined],
  ["kimiCode", "tool", "enabled", undefined, "auto", both, undefined],
  ["kimiCode", "none", "disabled", undefined, "none", both, undefined],
  // Kimi K3: always thinking, takes `required`; a named choice becomes `required` over that tool alone.
  ["kimiK3", "any", "absent", undefined, "required", both, undefined],
  ["kimiK3", "any", "enabled", undefined, "required", both, "low"],
  ["kimiK3", "tool", "absent", undefined, "required", ["Read"], undefined],
  ["kimiK3", "tool", "enabled", undefined, "required", ["Read"], "low"],
  // Asked for no thinking where it cannot be turned off: the least effort, still no `disabled`.
  ["kimiK3", "tool", "disabled", undefined, "required", ["Read"], "low"],
  ["plain", "any", "enabled", undefined, "required", both, undefined],
  ["plain", "tool", "absent", undefined, named, both, undefined],
];

for (const [profile, choice, mode, thinking, toolChoice, toolNames, effort] of forcedMatrix) {
  Deno.test(`openaiChatRequestFromHub forced-choice matrix: ${profile}, tool_choice ${choice}, thinking ${mode}`, () => {
    const request = hub({
      messages: [user("x")],
      ...(thinkingModes[mode] ? { thinking: thinkingModes[mode] } : {}),
      tools: [{ name: "Read", input_schema: { type: "object" } }, {
        name: "Write",
        input_schema: { type: "object" },
      }],
      tool_choice: choice === "tool" ? { type: "tool", name: "Read" } : { type: choice },
    });
    const body = openaiChatRequestFromHub(request, chatModel(profiles[profile]));
    assert.deepEqual(body.thinking, thinking, "thinking");
    assert.deepEqual(body.tool_choice, toolChoice, "tool_choice");
    assert.deepEqual(body.tools?.map((tool) => tool.function.name), toolNames, "tools");
    assert.equal(body.reasoning_effort, effort, "reasoning_effort");
  });
}

Deno.test("openaiChatRequestFromHub: turning thinking off for a forced choice drops reasoning_effort too", () => {
  const body = openaiChatRequestFromHub(
    hub({
      messages: [user("x")],
      output_config: { effort: "high" },
      tools: [{ name: "Read", input_schema: { type: "object" } }],
      tool_choice: { type: "any" },
    }),
    chatModel({ efforts: ["high", "max"] }),
  );
  assert.deepEqual([body.thinking, body.tool_choice, body.reasoning_effort], [
    { type: "disabled" },
    "required",
    undefined,
  ]);
});

Deno.test("openaiChatRequestFromHub never sends a thinking field to an always-thinking model", () => {
  for (const mode of Object.keys(thinkingModes) as (keyof typeof thinkingModes)[]) {
    const request = hub({
      messages: [user("x")],
      ...(thinkingModes[mode] ? { thinking: thinkingModes[mode] } : {}),
    });
    const body = openaiChatRequestFromHub(request, chatModel({ thinkingAlwaysOn: true }));
    assert.ok(!("thinking" in body), mode);
  }
});

Deno.test("nearestEffort picks exact, nearest, ties upward, and never 'none'", () => {
  assert.equal(nearestEffort("high", ["low", "high"]), "high");
  assert.equal(nearestEffort("low", ["high", "max"]), "high");
  assert.equal(nearestEffort("xhigh", ["high", "max"]), "max");
  assert.equal(nearestEffort("minimal", ["none", "low"]), "low");
  assert.equal(nearestEffort("medium", ["fast"]), undefined);
  assert.equal(nearestEffort("turbo", ["high"]), undefined);
});
