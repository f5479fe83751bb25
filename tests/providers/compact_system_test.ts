import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { parseAnthropicRequest } from "../../lib/formats/anthropic/client.ts";
import type { HubRequest } from "../../lib/hub/schema.ts";
import { compactSystemPrompt, compactText, systemTexts } from "../../lib/providers/compact_system.ts";
import { loadTokenizer } from "../../lib/tokens/tokenizer.ts";
import { providerKeys, requestLines, withProviderGateway } from "../support/fake_provider_upstreams.ts";

// Our own text, shaped like a coding agent's prompt: sections, rules, examples, a skills catalogue.
const agentPrompt = `You are a coding agent.

IMPORTANT: Never run destructive commands without asking.

# Tools
 - Prefer Read over shelling out to cat (e.g. use Read for a whole file).
 - Use Write to create files. Examples: "write a config", "create a test".

<example>
user: make a file
assistant: calls Write
</example>

Here is an example of a good commit message:
\`\`\`
fix: handle empty input
\`\`\`

Each note is a file with this front matter:
\`\`\`yaml
name: <slug>
\`\`\`

Be concise in what you say to the user, and do not repeat the same point twice within one answer please.`;

const environment = `# Environment
 - Platform: linux

The following skills are available:
- charts: Use this skill whenever the user asks for any chart, graph or plot in any medium at all, with a long list of further guidance about palettes, legends and axes that a small model does not need to read in full.
TRIGGER — read it first whenever a chart is mentioned anywhere in the conversation so far.
- init: Create a notes file

Be concise in what you say to the user, and do not repeat the same point twice within one answer please.`;

function request(): HubRequest {
  return parseAnthropicRequest({
    model: "m",
    max_tokens: 100,
    system: [{ type: "text", text: "billing line" }, { type: "text", text: agentPrompt }],
    messages: [
      { role: "user", content: "hello (e.g. a greeting)" },
      { role: "system", content: [{ type: "text", text: environment }] },
    ],
    tools: [
      {
        name: "Read",
        description: "Reads a file. Example: Read /etc/hosts",
        input_schema: { type: "object" },
      },
      { name: "Write", description: "Writes a file", input_schema: { type: "object" } },
    ],
  });
}

Deno.test("compactSystemPrompt drops examples, catalogue tails and repeated guidance; keeps rules and tools", () => {
  const original = request();
  const { request: compacted, removedChars } = compactSystemPrompt(original);
  const system = (compacted.system as { text: string }[]).map((block) => block.text).join("\n");
  const env = (compacted.messages[1].content as { text: string }[])[0].text;
  // Dropped: an <example> block, a fenced sample introduced as an example, an "e.g." aside, an Examples: list.
  assert(!system.includes("<example>") && !system.includes("calls Write"));
  assert(!system.includes("fix: handle empty input"));
  assert(!system.includes("e.g."));
  assert(!system.includes("write a config"));
  // Kept: the rule, the tool guidance itself, a fenced format spec, the section headings.
  assert(system.includes("IMPORTANT: Never run destructive commands without asking."));
  assert(system.includes(" - Prefer Read over shelling out to cat."));
  assert(system.includes(" - Use Write to create files."));
  assert(system.includes("name: <slug>"));
  assert(system.includes("# Tools"));
  // A long catalogue entry keeps its first sentence; its continuation line goes; short entries stay whole.
  assert(
    env.includes(
      "- charts: Use this skill whenever the user asks for any chart, graph or plot in any medium at all.",
    ),
  );
  assert(!env.includes("palettes") && !env.includes("TRIGGER"));
  assert(env.includes("- init: Create a notes file"));
  // Guidance repeated word for word (in the system prompt and again in the environment message) appears once.
  assert.equal((system + env).split("do not repeat the same point twice").length - 1, 1);
  // Never touched: tools, user turns, the other fields.
  assert.deepEqual(compacted.tools, original.tools);
  assert.deepEqual(compacted.messages[0], original.messages[0]);
  assert.equal(compacted.max_tokens, original.max_tokens);
  assert(removedChars > 300);
});

Deno.test("compactText leaves a prompt with nothing to drop as it was", () => {
  const plain = "# Rules\n - Answer in English.\n - Keep answers short.";
  assert.equal(compactText(plain, new Set(), new Set()), plain);
});

// Read at run time from FIXTURES_DIR or the repository's sibling ../shared (never copied into the repository).
const repositoryParent = new URL("../../../", import.meta.url);
const fixtures = `${
  Deno.env.get("FIXTURES_DIR") ??
    decodeURIComponent(new URL("shared/fixtures/claude-code", repositoryParent).pathname)
}/`;
const haveFixtures = (() => {
  try {
    return Deno.statSync(fixtures).isDirectory;
  } catch {
    return false;
  }
})();

Deno.test({
  name: `compactSystemPrompt on recorded Claude Code requests saves over 20% of the system prompt${
    haveFixtures ? "" : " [skipped: ../shared/fixtures/claude-code not present]"
  }`,
  ignore: !haveFixtures,
  fn: async () => {
    const count = await loadTokenizer();
    const texts = systemTexts;
    let checked = 0;
    for (const name of ["cc-opencode-models.jsonl", "cc-default-models.jsonl"]) {
      const line = (await Deno.readTextFile(`${fixtures}${name}`)).split("\n")[0];
      const original = parseAnthropicRequest(JSON.parse(line).body);
      const compacted = compactSystemPrompt(original).request;
      const before = texts(original).reduce((sum, text) => sum + count(text), 0);
      const after = texts(compacted).reduce((sum, text) => sum + count(text), 0);
      assert(after < before * 0.8, `${name}: ${before} → ${after} tokens`);
      assert.deepEqual(compacted.tools, original.tools);
      for (const text of texts(original)) {
        for (const rule of text.split("\n").filter((line) => /\bIMPORTANT\b/.test(line))) {
          assert(texts(compacted).some((kept) => kept.includes(rule)), `a rule was dropped: ${rule}`);
        }
      }
      checked++;
    }
    assert.equal(checked, 2);
  },
});

Deno.test("compactSystem: true compacts before sending and logs the tokens saved", async () => {
  const file = (origin: string) =>
    JSON.stringify({
      providers: [{
        name: "small",
        baseUrl: `${origin}/openrouter/api/v1`,
        format: "openai-chat",
        apiKey: providerKeys.openrouter,
        models: [{ id: "tiny", context: 32768, output: 2048, compactSystem: true }, { id: "full" }],
      }],
    });
  await withProviderGateway(file, async ({ url, fake, lines }) => {
    const client = new Anthropic({ baseURL: url, apiKey: "sk-client", maxRetries: 0 });
    const body = request();
    for (const model of ["small/tiny", "small/full"]) {
      await client.messages.create({
        model,
        max_tokens: 100,
        system: body.system as Anthropic.TextBlockParam[],
        messages: [{ role: "user", content: "hello" }],
      });
    }
    const [tiny, full] = fake.calls.map((call) => JSON.stringify(call.body));
    assert(!tiny.includes("calls Write") && full.includes("calls Write"));
    const logged = requestLines(lines);
    assert((logged[0].compact_system_saved_tokens as number) > 20, JSON.stringify(logged[0]));
    assert.equal(logged[1].compact_system_saved_tokens, undefined);
  });
});
