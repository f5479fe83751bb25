import assert from "node:assert/strict";
import { reduceGeminiSchema } from "../../../lib/formats/gemini/reduce_schema.ts";

Deno.test("reduceGeminiSchema keeps Gemini's subset and rewrites or drops the rest", async (t) => {
  const cases: { name: string; input: Record<string, unknown> | undefined; expected: unknown }[] = [
    { name: "no schema", input: undefined, expected: undefined },
    { name: "object without properties", input: { type: "object", properties: {} }, expected: undefined },
    {
      name: "Claude Code's keywords, recursively",
      input: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        additionalProperties: false,
        properties: {
          url: { type: "string", format: "uri" },
          when: { type: "string", format: "date-time" },
          count: { type: "integer", exclusiveMinimum: 0, maximum: 10, format: "int32" },
          tags: {
            type: "array",
            items: { type: "object", additionalProperties: false, properties: { a: { type: "string" } } },
          },
        },
        required: ["url", "missing"],
      },
      expected: {
        type: "object",
        properties: {
          url: { type: "string" },
          when: { type: "string", format: "date-time" },
          count: { type: "integer", maximum: 10, format: "int32", minimum: 0 },
          tags: { type: "array", items: { type: "object", properties: { a: { type: "string" } } } },
        },
        required: ["url"],
      },
    },
    {
      name: "const, type arrays, oneOf and non-string enums",
      input: {
        type: "object",
        properties: {
          kind: { const: "fixed" },
          maybe: { type: ["string", "null"] },
          either: { oneOf: [{ type: "string" }, { type: "number", exclusiveMaximum: 5 }] },
          level: { type: "integer", enum: [1, 2] },
        },
      },
      expected: {
        type: "object",
        properties: {
          kind: { type: "string", enum: ["fixed"] },
          maybe: { type: "string", nullable: true },
          either: { anyOf: [{ type: "string" }, { type: "number", maximum: 5 }] },
          level: { type: "integer", description: "One of: 1, 2" },
        },
      },
    },
    {
      name: "$ref inlined from $defs, allOf merged",
      input: {
        type: "object",
        $defs: { Point: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } },
        properties: {
          at: { $ref: "#/$defs/Point", description: "Where" },
          both: {
            allOf: [{ type: "object", properties: { a: { type: "string" } } }, {
              properties: { b: { type: "string" } },
              required: ["b"],
            }],
          },
        },
      },
      expected: {
        type: "object",
        properties: {
          at: {
            type: "object",
            description: "Where",
            properties: { x: { type: "number" } },
            required: ["x"],
          },
          both: {
            type: "object",
            properties: { a: { type: "string" }, b: { type: "string" } },
            required: ["b"],
          },
        },
      },
    },
  ];
  for (const { name, input, expected } of cases) {
    await t.step(name, () => {
      assert.deepEqual(reduceGeminiSchema(input), expected);
    });
  }
});

Deno.test("reduceGeminiSchema cuts a recursive $ref instead of recursing forever", () => {
  const reduced = reduceGeminiSchema({
    type: "object",
    definitions: { Node: { type: "object", properties: { next: { $ref: "#/definitions/Node" } } } },
    properties: { root: { $ref: "#/definitions/Node" } },
  });
  const text = JSON.stringify(reduced);
  assert.ok(text.length < 5_000);
  assert.ok(!text.includes("$ref"));
});
