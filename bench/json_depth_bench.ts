/**
 * What the request-body depth bound costs: the byte scan readJson runs before JSON.parse, against the decode and
 * parse every request pays anyway, on a ~1 MB body shaped after a recorded Claude Code request (many messages,
 * a dozen tool schemas), and on the 2 MB 1,000,000-level array the bound exists to refuse.
 *
 *   deno bench -A bench/json_depth_bench.ts
 */
import { jsonNestsDeeperThan } from "../lib/hub/json_depth.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function claudeCodeLikeBody(): Uint8Array {
  const schema = (name: string) => ({
    name,
    description: `The ${name} tool. `.repeat(40),
    input_schema: {
      type: "object",
      properties: {
        path: { type: "string" },
        options: { type: "object", properties: { depth: { type: "number" } } },
      },
      required: ["path"],
    },
  });
  const messages: unknown[] = [];
  for (let turn = 0; messages.length < 400; turn++) {
    messages.push({
      role: "user",
      content: [{ type: "text", text: `Please look at file ${turn}. `.repeat(60) }],
    });
    messages.push({
      role: "assistant",
      content: [
        { type: "text", text: "Reading it now." },
        { type: "tool_use", id: `toolu_${turn}`, name: "Read", input: { path: `/src/${turn}.ts` } },
      ],
    });
    messages.push({
      role: "user",
      content: [{
        type: "tool_result",
        tool_use_id: `toolu_${turn}`,
        content: "const x = [1, {a: 2}];\n".repeat(80),
      }],
    });
  }
  const body = {
    model: "kimi-k2.6",
    max_tokens: 32000,
    stream: true,
    tools: ["Read", "Write", "Edit", "Bash", "Grep", "Glob", "Agent", "Skill", "ToolSearch", "Workflow"].map(
      schema,
    ),
    messages,
  };
  return encoder.encode(JSON.stringify(body));
}

const body = claudeCodeLikeBody();
const deep = encoder.encode(`${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`);

Deno.bench({
  name: `depth scan, ${(body.length / 1e6).toFixed(1)} MB Claude Code-like body`,
  group: "body",
  baseline: true,
}, () => {
  jsonNestsDeeperThan(body, 128);
});
Deno.bench({ name: "decode + JSON.parse of the same body", group: "body" }, () => {
  JSON.parse(decoder.decode(body));
});
Deno.bench({ name: "depth scan refusing a 1,000,000-level array", group: "deep", baseline: true }, () => {
  jsonNestsDeeperThan(deep, 128);
});
Deno.bench({ name: "decode + JSON.parse of that array (what the scan spares)", group: "deep" }, () => {
  JSON.parse(decoder.decode(deep));
});
