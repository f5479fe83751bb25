// Property: every registered upstream format turns any schema-valid hub request into a request its family
// accepts (or a clean 4xx), never a crash and never a malformed body.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { Family, ResolvedModel } from "../../lib/catalog/types.ts";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import { type HubRequest, requestSchema } from "../../lib/hub/schema.ts";
import { openaiChatRequestSchema } from "../../lib/formats/openai-chat/request_schema.ts";
import { openaiResponsesRequestSchema } from "../../lib/formats/openai-responses/request_schema.ts";
import { upstreamFormats } from "../../lib/formats/registry.ts";
import type { UpstreamCall } from "../../lib/hub/wire_format.ts";
import {
  hubRequestArbitrary,
  resolvedModelArbitrary,
  wellFormedRequestArbitrary,
} from "../support/hub_arbitraries.ts";
import { allFamilies, isPlaceholder } from "../support/registered_formats.ts";

const RUNS = 400;

function callFor(model: ResolvedModel, beta?: string): UpstreamCall {
  return {
    model,
    apiKey: "sk-property-test-key",
    sessionId: "ocb-12345678-session",
    clientHeaders: new Headers(beta ? { "anthropic-beta": beta } : {}),
  };
}

type Body = Record<string, unknown>;
const isObject = (value: unknown): value is Body =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Family-specific invariants on the upstream body; returns what is wrong. */
const checks: Record<Family, (body: Body, model: ResolvedModel, request: HubRequest) => string[]> = {
  "openai-chat": (body, model) => {
    const problems = schemaProblems(openaiChatRequestSchema, body);
    if (body.model !== model.upstreamModel) problems.push(`model is ${body.model}`);
    if (body.stream !== true) problems.push("stream is not true");
    for (const message of (body.messages as Body[] | undefined) ?? []) {
      for (const call of (message.tool_calls as Body[] | undefined) ?? []) {
        const args = (call.function as Body | undefined)?.arguments;
        if (typeof args !== "string") problems.push("tool call arguments are not a string");
        else if (!parsesAsJson(args)) problems.push(`tool call arguments are not JSON: ${args}`);
      }
    }
    return problems;
  },
  "anthropic": (body, model) => {
    const problems = schemaProblems(requestSchema, body);
    if (body.model !== model.upstreamModel) problems.push(`model is ${body.model}`);
    if (body.stream !== true) problems.push("stream is not true");
    for (const message of (body.messages as Body[] | undefined) ?? []) {
      if (message.role !== "user" && message.role !== "assistant") problems.push(`role ${message.role}`);
    }
    return problems;
  },
  "openai-responses": (body, model) => {
    const problems = schemaProblems(openaiResponsesRequestSchema, body);
    if (body.model !== model.upstreamModel) problems.push(`model is ${body.model}`);
    if (body.stream !== true) problems.push("stream is not true");
    const input = body.input;
    if (!Array.isArray(input) && typeof input !== "string") {
      problems.push("input is neither array nor string");
    }
    for (const item of Array.isArray(input) ? input : []) {
      if (!isObject(item)) problems.push("input item is not an object");
      else if (item.type === "function_call") {
        if (typeof item.call_id !== "string" || typeof item.name !== "string") {
          problems.push("bad function_call");
        }
        if (typeof item.arguments !== "string") problems.push("function_call arguments not a string");
      } else if (item.type === "function_call_output" && typeof item.call_id !== "string") {
        problems.push("function_call_output without call_id");
      } else if ((item.type === "message" || item.type === undefined) && typeof item.role !== "string") {
        problems.push("message item without role");
      }
    }
    return problems;
  },
  "gemini": (body) => {
    const problems: string[] = [];
    if (!Array.isArray(body.contents)) return ["contents is not an array"];
    for (const content of body.contents as unknown[]) {
      if (!isObject(content)) {
        problems.push("content is not an object");
        continue;
      }
      if (content.role !== "user" && content.role !== "model") problems.push(`content role ${content.role}`);
      if (!Array.isArray(content.parts) || content.parts.length === 0) problems.push("content without parts");
      for (const part of (content.parts as unknown[]) ?? []) {
        if (!isObject(part)) problems.push("part is not an object");
        else {
          const kinds = ["text", "inlineData", "fileData", "functionCall", "functionResponse"]
            .filter((key) => key in part);
          if (kinds.length !== 1) problems.push(`part has ${kinds.length} payloads: ${Object.keys(part)}`);
          const call = part.functionCall as Body | undefined;
          if (call && (typeof call.name !== "string" || !isObject(call.args ?? {}))) {
            problems.push("bad functionCall");
          }
        }
      }
    }
    const generation = body.generationConfig as Body | undefined;
    const max = generation?.maxOutputTokens;
    if (max !== undefined && !(Number.isInteger(max) && (max as number) > 0)) {
      problems.push(`maxOutputTokens ${max}`);
    }
    return problems;
  },
};

function schemaProblems(
  schema: { safeParse(value: unknown): { success: boolean; error?: unknown } },
  body: Body,
) {
  const result = schema.safeParse(body);
  if (result.success) return [];
  const issues = (result.error as { issues: { path: PropertyKey[]; message: string }[] }).issues;
  return issues.slice(0, 3).map((issue) => `schema: ${issue.path.join(".")}: ${issue.message}`);
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

for (const family of allFamilies) {
  const format = upstreamFormats[family];
  Deno.test({
    name: `${family} buildRequest turns any schema-valid hub request into a valid upstream request`,
    ignore: isPlaceholder(format),
    fn() {
      let rejected = 0;
      fc.assert(
        fc.property(
          wellFormedRequestArbitrary,
          resolvedModelArbitrary(family),
          fc.option(fc.constantFrom("interleaved-thinking-2025-05-14", "context-1m-2025-08-07"), {
            nil: undefined,
          }),
          (request, model, beta) => {
            let upstream;
            try {
              upstream = format.buildRequest(structuredClone(request), callFor(model, beta));
            } catch (error) {
              // A request this family cannot carry may be refused, but only as the client's error (4xx).
              assert.ok(
                error instanceof GatewayError,
                `threw a non-GatewayError: ${(error as Error)?.stack}`,
              );
              assert.ok(error.status >= 400 && error.status < 500, `threw ${error.status}: ${error.message}`);
              rejected++;
              return;
            }
            assert.ok(upstream.url.startsWith(model.baseUrl), `url ${upstream.url}`);
            assert.ok(
              new Headers(upstream.headers).get("x-opencode-session"),
              "no x-opencode-session header",
            );
            const credential = new Headers(upstream.headers).get("authorization") ??
              new Headers(upstream.headers).get("x-api-key") ??
              new Headers(upstream.headers).get("x-goog-api-key");
            assert.ok(credential?.includes("sk-property-test-key"), "no upstream credential");
            const body = JSON.parse(upstream.body) as unknown;
            assert.ok(isObject(body), "body is not a JSON object");
            const problems = checks[family](body, model, request);
            assert.deepEqual(problems, [], `${family} body problems for ${upstream.body.slice(0, 2000)}`);
          },
        ),
        { numRuns: RUNS },
      );
      if (rejected > RUNS / 4) throw new Error(`${family} refused ${rejected} of ${RUNS} valid requests`);
    },
  });
}

for (const family of allFamilies) {
  const format = upstreamFormats[family];
  Deno.test({
    name: `${family} buildRequest never crashes on anything the hub schema accepts`,
    ignore: isPlaceholder(format),
    fn() {
      fc.assert(
        fc.property(hubRequestArbitrary, resolvedModelArbitrary(family), (request, model) => {
          try {
            const upstream = format.buildRequest(structuredClone(request), callFor(model));
            assert.ok(isObject(JSON.parse(upstream.body)), "body is not a JSON object");
          } catch (error) {
            assert.ok(error instanceof GatewayError, `threw a non-GatewayError: ${(error as Error)?.stack}`);
            assert.ok(error.status >= 400 && error.status < 500, `threw ${error.status}: ${error.message}`);
          }
        }),
        { numRuns: RUNS },
      );
    },
  });
}
