/**
 * End to end on Zen's other families: the pinned Claude Code CLI writes a file through `gpt-5.5`
 * (OpenAI Responses upstream) and `gemini-3.1-pro` (Gemini upstream). The fakes validate like the real
 * services: the encrypted reasoning item and Gemini's thoughtSignature must come back on the second turn,
 * or they answer 400 and the file is never written.
 */
import assert from "node:assert/strict";
import { SKIP_THOUGHT_SIGNATURE } from "../../lib/formats/gemini/thought_signature.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { startFakeGeminiUpstream } from "../support/fake_gemini_upstream.ts";
import { startFakeResponsesUpstream } from "../support/fake_responses_upstream.ts";
import { type FakeUpstream, serveGateway } from "../support/fake_upstream.ts";
import { WRITTEN_CONTENT } from "./scripted_chat_upstream.ts";
import {
  aliasingCatalog,
  assertClaudeCodeRuns,
  CLAUDE_CODE_VERSION,
  claudeCodeEnvironment,
  describeRun,
  findClaudeCode,
  runClaudeCode,
  skipSuffix,
} from "./support.ts";

type Json = Record<string, unknown>;

const binary = findClaudeCode();
const skipped = skipSuffix(binary);

interface Family {
  model: string;
  family: "openai-responses" | "gemini";
  /** Starts the fake; `accepted` collects every body the fake validated and answered. */
  start(filePath: string, accepted: Json[]): FakeUpstream;
  /** True when the follow-up request carried the reasoning state the upstream minted on turn one. */
  replayedReasoning(body: Json): boolean;
}

const families: Family[] = [
  {
    model: "gpt-5.5",
    family: "openai-responses",
    start: (filePath, accepted) =>
      startFakeResponsesUpstream((body) => {
        accepted.push(body);
        const input = body.input as Json[];
        const hasWrite = ((body.tools ?? []) as Json[]).some((tool) => tool.name === "Write");
        if (input.at(-1)?.type === "function_call_output") return { reasoning: ["Written."], text: "Done." };
        if (!hasWrite) return { text: "title" };
        return {
          reasoning: ["I will write the file."],
          calls: [{ name: "Write", arguments: { file_path: filePath, content: WRITTEN_CONTENT } }],
        };
      }),
    replayedReasoning: (body) =>
      (body.input as Json[]).some((item) =>
        item.type === "reasoning" && typeof item.encrypted_content === "string"
      ),
  },
  {
    model: "gemini-3.1-pro",
    family: "gemini",
    start: (filePath, accepted) =>
      startFakeGeminiUpstream((body) => {
        accepted.push(body);
        const last = (body.contents as Json[]).at(-1)!.parts as Json[];
        const hasWrite = ((body.tools ?? []) as Json[]).some((tool) =>
          ((tool.functionDeclarations ?? []) as Json[]).some((declaration) => declaration.name === "Write")
        );
        if (last.some((part) => part.functionResponse)) {
          return { thoughts: ["Written."], text: "Done.", signText: true };
        }
        if (!hasWrite) {
          return { text: "title" };
        }
        return {
          thoughts: ["I will write the file."],
          calls: [{ name: "Write", args: { file_path: filePath, content: WRITTEN_CONTENT } }],
        };
      }),
    replayedReasoning: (body) =>
      (body.contents as Json[]).some((content) =>
        ((content.parts ?? []) as Json[]).some((part) =>
          part.functionCall && typeof part.thoughtSignature === "string" &&
          part.thoughtSignature !== SKIP_THOUGHT_SIGNATURE
        )
      ),
  },
];

for (const family of families) {
  Deno.test({
    name:
      `Claude Code ${CLAUDE_CODE_VERSION} writes a file through a ${family.family} model (--model ${family.model})${skipped}`,
    ignore: !binary,
    async fn() {
      await assertClaudeCodeRuns(binary!);
      const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
      const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
      const filePath = `${project}/hello.txt`;
      const accepted: Json[] = [];
      const fake = family.start(filePath, accepted);
      const requested: string[] = [];
      const catalog = aliasingCatalog(
        fakeCatalog([{ id: family.model, family: family.family, service: "zen", image: true }], {
          go: fake.url,
          zen: fake.url,
        }),
        family.model,
        requested,
      );
      const gateway = serveGateway(testGateway(testConfig(), { catalog }));
      try {
        const run = await runClaudeCode({
          binary: binary!,
          args: [
            "-p",
            `Create the file ${filePath} containing the line: hello from opencode-bridge`,
            "--permission-mode",
            "acceptEdits",
            "--model",
            family.model,
          ],
          cwd: project,
          env: claudeCodeEnvironment(home, gateway.url),
          timeoutMs: 120_000,
        });
        const report = describeRun(run, fake.requests);
        const written = await Deno.readTextFile(filePath).catch(() => undefined);
        assert(!run.timedOut, `Claude Code did not finish\n${report}`);
        assert.equal(fake.requests.length, accepted.length, `the fake upstream refused requests\n${report}`);
        assert.equal(written, WRITTEN_CONTENT, `hello.txt is missing or wrong\n${report}`);
        assert.equal(run.code, 0, `Claude Code failed\n${report}`);
        assert(
          accepted.some(family.replayedReasoning),
          `reasoning state did not come back on turn two\n${report}`,
        );
      } finally {
        await gateway.close();
        await fake.close();
        await Deno.remove(home, { recursive: true }).catch(() => {});
        await Deno.remove(project, { recursive: true }).catch(() => {});
      }
    },
  });
}
