/**
 * count_tokens cost through the gateway handler (no sockets): a burst of 26 concurrent calls like Claude Code's
 * `/context`, and one large conversation like the context check on `/v1/messages`. Run: `deno bench -A bench/count_tokens_bench.ts`.
 */
import { parseConfig } from "../lib/config.ts";
import { createGateway } from "../lib/gateway.ts";
import { countRequestTokens } from "../lib/tokens/count_tokens.ts";
import { loadTokenizer } from "../lib/tokens/tokenizer.ts";
import { fakeCatalog } from "../tests/support/fake_catalog.ts";

const catalog = fakeCatalog([{ id: "kimi-k2.6", family: "openai-chat" }], { go: "http://go.invalid" });
const handler = createGateway(parseConfig({ LOG_LEVEL: "silent" }), {
  catalog,
  fetch: () => Promise.reject(new Error("no upstream")),
  log: () => {},
});

// One MCP-sized tool per call (~400 tokens each), as /context counts tools one by one.
const bodies = Array.from({ length: 26 }, (_, index) =>
  JSON.stringify({
    model: "kimi-k2.6",
    messages: [{ role: "user", content: "foo" }],
    tools: [{
      name: `mcp__server__tool_${index}`,
      description: "Searches the codebase for files matching a glob pattern and returns their paths. ".repeat(
        12,
      ),
      input_schema: {
        type: "object",
        properties: { pattern: { type: "string", description: "Glob pattern" }, path: { type: "string" } },
        required: ["pattern"],
      },
    }],
  }));

async function burst(): Promise<void> {
  await Promise.all(bodies.map(async (body) => {
    const response = await handler(
      new Request("http://gateway/v1/messages/count_tokens", {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": "sk", "anthropic-version": "2023-06-01" },
        body,
      }),
    );
    await response.json();
  }));
}

// ~120k tokens of varied words and code-like identifiers (repeated text would flatter the tokenizer's cache).
let seed = 1;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const words = ("the gateway model request stream token upstream client error header route catalog cache " +
  "refresh snapshot tool result message system function return const await async import export").split(" ");
const conversation = {
  messages: Array.from({ length: 200 }, (_, index) => {
    let content = "";
    while (content.length < 3_000) {
      const word = words[Math.floor(random() * words.length)];
      content += (random() < 0.1 ? `${word}_${Math.floor(random() * 10_000)}(` : word) +
        (random() < 0.08 ? "\n" : " ");
    }
    return { role: index % 2 === 0 ? "user" as const : "assistant" as const, content };
  }),
};

// The first burst after start pays for loading the tokenizer (lazy, once per process).
const coldStart = performance.now();
await burst();
console.log(
  `count_tokens: first 26 concurrent calls, tokenizer cold: ${(performance.now() - coldStart).toFixed(0)} ms`,
);
await loadTokenizer();

Deno.bench("count_tokens: 26 concurrent calls (tokenizer warm)", async () => {
  await burst();
});

Deno.bench("countRequestTokens: 200-message conversation (~120k tokens)", async () => {
  await countRequestTokens(conversation);
});
