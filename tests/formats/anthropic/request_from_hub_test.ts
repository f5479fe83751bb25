import assert from "node:assert/strict";
import { parseAnthropicRequest } from "../../../lib/formats/anthropic/client.ts";
import { anthropicRequestFromHub } from "../../../lib/formats/anthropic/request_from_hub.ts";
import {
  type AnthropicUpstreamProfile,
  claudeProfile,
  strictProfile,
} from "../../../lib/formats/anthropic/upstream_profiles.ts";
import { wrapAnthropicSignature } from "../../../lib/formats/anthropic/thinking_signature.ts";
import { encodeSignature } from "../../../lib/hub/signature.ts";

const GATEWAY_SIGNATURE = encodeSignature({ provider: "openai-chat", payload: "" });
/** The upstream under test, as anthropicSignatureOrigin names it; OTHER is another Anthropic-format model. */
const ORIGIN = "go/MiniMax-M2.7";
const OTHER = "go/qwen3.7-plus";
const ENV = "# Environment\nPrimary working directory: /work";
const CACHE = { type: "ephemeral" };

/** A Claude Code-shaped request; `extra` overrides top-level fields. */
function claudeCodeRequest(extra: Record<string, unknown> = {}) {
  return parseAnthropicRequest({
    model: "minimax-m2.7",
    max_tokens: 32000,
    stream: true,
    system: [
      { type: "text", text: "x-anthropic-billing-header: cc_version=9.9.9; cc_entrypoint=cli;" },
      { type: "text", text: "You are a coding agent.", cache_control: CACHE },
      { type: "text", text: "Be brief.", cache_control: CACHE },
    ],
    messages: [
      { role: "user", content: "write a file" },
      { role: "system", content: [{ type: "text", text: ENV, cache_control: CACHE }] },
    ],
    tools: [
      { name: "Write", description: "Writes a file", input_schema: { type: "object", properties: {} } },
      { name: "Placeholder", description: "", input_schema: { type: "object" }, defer_loading: true },
    ],
    thinking: { type: "adaptive", display: "omitted" },
    output_config: { effort: "high" },
    context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
    metadata: { user_id: '{"device_id":"d","session_id":"s"}' },
    ...extra,
  });
}

type Case = {
  name: string;
  profile?: AnthropicUpstreamProfile;
  request: Record<string, unknown>;
  /** Fields of the upstream body to compare (absent in `expected` = must be absent). */
  expected: Record<string, unknown>;
};

const strictCases: Case[] = [
  {
    name: "folds role:system into the user turn before it as a system-reminder, keeping its cache marker",
    request: {},
    expected: {
      messages: [{
        role: "user",
        content: [
          { type: "text", text: "write a file" },
          { type: "text", text: `<system-reminder>\n${ENV}\n</system-reminder>`, cache_control: CACHE },
        ],
      }],
    },
  },
  {
    name: "a system entry between a tool call and its result joins the result turn, after the tool_result",
    request: {
      messages: [
        { role: "user", content: "go" },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_1", name: "Write", input: {} }],
        },
        { role: "system", content: "note" },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      ],
    },
    expected: {
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Write", input: {} }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "ok" },
            { type: "text", text: "<system-reminder>\nnote\n</system-reminder>" },
          ],
        },
      ],
    },
  },
  {
    name: "drops the attribution block and keeps the rest of system",
    request: {},
    expected: {
      system: [
        { type: "text", text: "You are a coding agent.", cache_control: CACHE },
        { type: "text", text: "Be brief.", cache_control: CACHE },
      ],
    },
  },
  {
    name: "drops the attribution line of a string system",
    request: { system: "x-anthropic-billing-header: cc_version=1;\nBe brief." },
    expected: { system: "Be brief." },
  },
  {
    name: "adaptive thinking becomes enabled with a budget from output_config.effort",
    request: {},
    expected: { thinking: { type: "enabled", budget_tokens: 16384 } },
  },
  {
    name: "adaptive thinking with effort low",
    request: { output_config: { effort: "low" } },
    expected: { thinking: { type: "enabled", budget_tokens: 4096 } },
  },
  {
    name: "adaptive thinking keeps a quarter of a small max_tokens for the answer",
    request: { max_tokens: 4000, output_config: { effort: "max" } },
    expected: { thinking: { type: "enabled", budget_tokens: 3000 } },
  },
  {
    name: "adaptive thinking is left out when max_tokens has no room for the minimum budget",
    request: { max_tokens: 1024 },
    expected: { thinking: undefined },
  },
  {
    name: "an enabled budget at or above max_tokens is clamped below it, display dropped",
    request: { max_tokens: 8000, thinking: { type: "enabled", budget_tokens: 9000, display: "omitted" } },
    expected: { thinking: { type: "enabled", budget_tokens: 7999 } },
  },
  {
    name: "disabled thinking stays disabled",
    request: { thinking: { type: "disabled" } },
    expected: { thinking: { type: "disabled" } },
  },
  {
    name: "strips context_management, output_config, metadata and non-core fields",
    request: { service_tier: "auto", container: "c1", cache_control: CACHE },
    expected: {
      context_management: undefined,
      output_config: undefined,
      metadata: undefined,
      service_tier: undefined,
      container: undefined,
      cache_control: undefined,
    },
  },
  {
    name: "drops deferred and server tools and beta tool fields; tool_choice naming a dropped tool goes",
    request: {
      tools: [
        {
          name: "Write",
          description: "d",
          input_schema: { type: "object" },
          strict: true,
          eager_input_streaming: true,
          cache_control: CACHE,
          type: "custom",
        },
        { name: "Later", input_schema: { type: "object" }, defer_loading: true },
        { name: "web_search", type: "web_search_20250305" },
      ],
      tool_choice: { type: "tool", name: "Later" },
    },
    expected: {
      tools: [{ name: "Write", description: "d", input_schema: { type: "object" } }],
      tool_choice: undefined,
    },
  },
  {
    name: "only deferred tools: no tools and no tool_choice",
    request: {
      tools: [{ name: "Later", input_schema: { type: "object" }, defer_loading: true }],
      tool_choice: { type: "auto" },
    },
    expected: { tools: undefined, tool_choice: undefined },
  },
  {
    name:
      "restores this upstream's enveloped thinking; drops raw, unsigned, other-origin and other-family thinking",
    request: {
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "mine", signature: wrapAnthropicSignature("upstream-sig", ORIGIN) },
            { type: "thinking", thinking: "qwen", signature: wrapAnthropicSignature("qwen-sig", OTHER) },
            { type: "thinking", thinking: "raw", signature: "raw-sig-from-some-server" },
            { type: "thinking", thinking: "kimi", signature: GATEWAY_SIGNATURE },
            { type: "thinking", thinking: "unsigned" },
            { type: "redacted_thinking", data: GATEWAY_SIGNATURE },
            { type: "redacted_thinking", data: "raw-data" },
            { type: "redacted_thinking", data: wrapAnthropicSignature("qwen-data", OTHER) },
            { type: "redacted_thinking", data: wrapAnthropicSignature("upstream-data", ORIGIN) },
            { type: "text", text: "answer" },
          ],
        },
        { role: "user", content: "b" },
      ],
    },
    expected: {
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "mine", signature: "upstream-sig" },
            { type: "redacted_thinking", data: "upstream-data" },
            { type: "text", text: "answer" },
          ],
        },
        { role: "user", content: "b" },
      ],
    },
  },
  {
    name: "drops empty text blocks and messages, then merges the same-role turns around them",
    request: {
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: [{ type: "text", text: "" }] },
        { role: "user", content: [{ type: "text", text: "b" }, { type: "text", text: " \n" }] },
        { role: "assistant", content: "" },
        {
          role: "assistant",
          content: [{ type: "thinking", thinking: "x", signature: GATEWAY_SIGNATURE }, {
            type: "text",
            text: "c",
          }],
        },
      ],
    },
    expected: {
      messages: [
        { role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] },
        { role: "assistant", content: [{ type: "text", text: "c" }] },
      ],
    },
  },
  {
    name: "rewrites Kimi-style tool ids the same way in tool_use and tool_result, avoiding collisions",
    request: {
      thinking: undefined,
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "functions.Write:0", name: "Write", input: {} },
            { type: "tool_use", id: "functions_Write_0", name: "Write", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "functions.Write:0",
              content: [{ type: "text", text: "ok" }],
            },
            { type: "tool_result", tool_use_id: "functions_Write_0", content: "ok" },
          ],
        },
      ],
    },
    expected: {
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "functions_Write_0_2", name: "Write", input: {} },
            { type: "tool_use", id: "functions_Write_0", name: "Write", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "functions_Write_0_2",
              content: [{ type: "text", text: "ok" }],
            },
            { type: "tool_result", tool_use_id: "functions_Write_0", content: "ok" },
          ],
        },
      ],
    },
  },
  {
    name: "sends no thinking when the last tool-calling turn only had another model's thinking",
    request: {
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "qwen", signature: wrapAnthropicSignature("qwen-sig", OTHER) },
            { type: "tool_use", id: "toolu_1", name: "Write", input: {} },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      ],
    },
    expected: {
      thinking: undefined,
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Write", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      ],
    },
  },
  {
    name: "keeps thinking on when the last tool-calling turn's own thinking is restored",
    request: {
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "mine", signature: wrapAnthropicSignature("upstream-sig", ORIGIN) },
            { type: "tool_use", id: "toolu_1", name: "Write", input: {} },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      ],
    },
    expected: { thinking: { type: "enabled", budget_tokens: 16384 } },
  },
  {
    name: "sends no thinking when the last tool-calling turn only had another family's thinking",
    request: {
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "kimi", signature: GATEWAY_SIGNATURE },
            { type: "tool_use", id: "toolu_1", name: "Write", input: {} },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      ],
    },
    expected: { thinking: undefined },
  },
  {
    name: "a profile without cache_control loses every marker, nested ones included",
    profile: { ...strictProfile, cacheControl: false },
    request: {
      messages: [
        { role: "user", content: [{ type: "text", text: "a", cache_control: CACHE }] },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Write", input: {} }] },
        {
          role: "user",
          content: [{
            type: "tool_result",
            tool_use_id: "t1",
            cache_control: CACHE,
            content: [{ type: "text", text: "r", cache_control: CACHE }],
          }],
        },
      ],
    },
    expected: {
      system: [{ type: "text", text: "You are a coding agent." }, { type: "text", text: "Be brief." }],
      messages: [
        { role: "user", content: [{ type: "text", text: "a" }] },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Write", input: {} }] },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "r" }] }],
        },
      ],
    },
  },
];

const claudeCases: Case[] = [
  {
    // Every signature the gateway hands out is enveloped, so a raw one may be any server's (see
    // messages_from_hub.ts): dropped on the claude profile too; thinking goes off for the tool-calling turn.
    name: "drops a raw signature too, and restores only this upstream's envelope",
    profile: claudeProfile,
    request: {
      messages: [
        { role: "user", content: "a" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "raw", signature: "EqQBCkgIARABGAIiQL" },
            { type: "text", text: "answer" },
          ],
        },
        { role: "user", content: "b" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "mine", signature: wrapAnthropicSignature("claude-sig", ORIGIN) },
            { type: "tool_use", id: "toolu_1", name: "Write", input: {} },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      ],
    },
    expected: {
      thinking: { type: "adaptive", display: "omitted" },
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: [{ type: "text", text: "answer" }] },
        { role: "user", content: "b" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "mine", signature: "claude-sig" },
            { type: "tool_use", id: "toolu_1", name: "Write", input: {} },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      ],
    },
  },
  {
    name: "forwards adaptive thinking, output_config, context_management, metadata and extra fields",
    profile: claudeProfile,
    request: { service_tier: "auto" },
    expected: {
      thinking: { type: "adaptive", display: "omitted" },
      output_config: { effort: "high" },
      context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
      metadata: { user_id: '{"device_id":"d","session_id":"s"}' },
      service_tier: "auto",
    },
  },
  {
    name: "keeps tools as sent, deferred ones included",
    profile: claudeProfile,
    request: {},
    expected: {
      tools: [
        { name: "Write", description: "Writes a file", input_schema: { type: "object", properties: {} } },
        { name: "Placeholder", description: "", input_schema: { type: "object" }, defer_loading: true },
      ],
    },
  },
  {
    name: "still folds system entries and drops the attribution block",
    profile: claudeProfile,
    request: {},
    expected: {
      system: [
        { type: "text", text: "You are a coding agent.", cache_control: CACHE },
        { type: "text", text: "Be brief.", cache_control: CACHE },
      ],
      messages: [{
        role: "user",
        content: [
          { type: "text", text: "write a file" },
          { type: "text", text: `<system-reminder>\n${ENV}\n</system-reminder>`, cache_control: CACHE },
        ],
      }],
    },
  },
];

for (const [profileName, cases] of [["strict", strictCases], ["claude", claudeCases]] as const) {
  Deno.test(`anthropicRequestFromHub (${profileName} profile)`, async (t) => {
    for (const testCase of cases) {
      await t.step(testCase.name, () => {
        const body = anthropicRequestFromHub(claudeCodeRequest(testCase.request), {
          profile: testCase.profile ?? strictProfile,
          upstreamModel: "MiniMax-M2.7",
          origin: ORIGIN,
        });
        for (const [key, value] of Object.entries(testCase.expected)) {
          assert.deepEqual(body[key], value, key);
        }
      });
    }
  });
}

Deno.test("anthropicRequestFromHub always streams and names the upstream model", () => {
  const body = anthropicRequestFromHub(claudeCodeRequest({ stream: false }), {
    profile: strictProfile,
    upstreamModel: "MiniMax-M2.7",
    origin: ORIGIN,
  });
  assert.equal(body.model, "MiniMax-M2.7");
  assert.equal(body.stream, true);
  assert.equal(body.max_tokens, 32000);
});

Deno.test("anthropicRequestFromHub leaves the hub request untouched", () => {
  const request = claudeCodeRequest();
  const before = structuredClone(request);
  anthropicRequestFromHub(request, { profile: strictProfile, upstreamModel: "m", origin: "go/m" });
  assert.deepEqual(request, before);
});
