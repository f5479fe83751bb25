/**
 * End to end, parallel tool calls: the chat upstream answers one turn with two `Write` calls, and the pinned
 * Claude Code CLI must run both and send both results back with their own ids. Once with the calls streamed
 * one after the other (what Kimi and DeepSeek do) and once with their argument fragments interleaved by
 * `index`, so the gateway has to keep them apart.
 */
import assert from "node:assert/strict";
import { dataFrames, type FakeHandler, type RecordedRequest, sseResponse } from "../support/fake_upstream.ts";
import { byteChunks, serveGateway, startFakeUpstream } from "../support/fake_upstream.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { parseConfig } from "../../lib/config.ts";
import { testGateway } from "../support/log_tap.ts";
import { chatRequestProblem } from "./scripted_chat_upstream.ts";
import {
  aliasingCatalog,
  assertClaudeCodeRuns,
  CLAUDE_CODE_VERSION,
  claudeCodeEnvironment,
  describeRun,
  findClaudeCode,
  runClaudeCode,
  skipSuffix,
  splitText,
} from "./support.ts";

const binary = findClaudeCode();
const skipped = skipSuffix(binary);

type Body = {
  model?: string;
  messages?: { role?: string; tool_call_id?: string; content?: unknown }[];
  tools?: { function?: { name?: string } }[];
};

function chunk(model: unknown, delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: "chatcmpl-par",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

/** Two Write calls in one turn; `interleaved` alternates their argument fragments. */
function parallelWrites(model: unknown, files: [string, string][], interleaved: boolean): unknown[] {
  const starts = files.map(([path], index) => ({
    index,
    id: `call_par_${index}`,
    type: "function",
    function: { name: "Write", arguments: "" },
    path,
  }));
  const fragments = files.map(([path, content]) =>
    splitText(JSON.stringify({ file_path: path, content }), 9)
  );
  const frames: unknown[] = [
    chunk(model, { role: "assistant", content: "" }),
    ...splitText("Two files → two Write calls at once.", 7).map((part) =>
      chunk(model, { reasoning_content: part })
    ),
  ];
  const argumentFrame = (index: number, part: string) =>
    chunk(model, { tool_calls: [{ index, function: { arguments: part } }] });
  if (interleaved) {
    frames.push(chunk(model, { tool_calls: starts.map(({ path: _path, ...start }) => start) }));
    const longest = Math.max(...fragments.map((parts) => parts.length));
    for (let step = 0; step < longest; step++) {
      fragments.forEach((parts, index) =>
        parts[step] !== undefined && frames.push(argumentFrame(index, parts[step]))
      );
    }
  } else {
    starts.forEach(({ path: _path, ...start }, index) => {
      frames.push(chunk(model, { tool_calls: [start] }));
      for (const part of fragments[index]) frames.push(argumentFrame(index, part));
    });
  }
  frames.push(chunk(model, {}, "tool_calls"));
  frames.push({ ...chunk(model, {}), choices: [], usage: { prompt_tokens: 900, completion_tokens: 60 } });
  return frames;
}

for (const interleaved of [false, true]) {
  Deno.test({
    name: `Claude Code ${CLAUDE_CODE_VERSION} runs two parallel tool calls (${
      interleaved ? "argument fragments interleaved" : "streamed one after the other"
    })${skipped}`,
    ignore: !binary,
    async fn() {
      await assertClaudeCodeRuns(binary!);
      const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
      const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
      const files: [string, string][] = [
        [`${project}/one.txt`, "first file ✓\n"],
        [`${project}/two.txt`, "second file — 二\n"],
      ];
      const rejections: string[] = [];
      const handler: FakeHandler = (request: RecordedRequest) => {
        const problem = chatRequestProblem(request);
        if (problem) {
          rejections.push(`${problem.status} ${problem.message}`);
          return Response.json({ error: { message: problem.message } }, { status: problem.status });
        }
        const body = request.body as Body;
        const wantsWrite = (body.tools ?? []).some((tool) => tool.function?.name === "Write");
        const results = (body.messages ?? []).filter((message) => message.role === "tool");
        const frames = wantsWrite && results.length === 0 ? parallelWrites(body.model, files, interleaved) : [
          chunk(body.model, { role: "assistant", content: "" }),
          chunk(body.model, { content: results.length ? "Both files written." : "Parallel writes" }),
          chunk(body.model, {}, "stop"),
        ];
        return sseResponse(byteChunks(dataFrames(frames), 29));
      };
      const fake = startFakeUpstream(handler);
      const catalog = aliasingCatalog(
        fakeCatalog([{ id: "kimi-k2.6", family: "openai-chat" }], { go: fake.url }),
        "kimi-k2.6",
        [],
      );
      const gateway = serveGateway(testGateway(parseConfig({}), { catalog }));
      try {
        const run = await runClaudeCode({
          binary: binary!,
          args: [
            "-p",
            `Create ${files[0][0]} and ${files[1][0]} with two Write calls in parallel.`,
            "--permission-mode",
            "acceptEdits",
            "--model",
            "kimi-k2.6",
          ],
          cwd: project,
          env: claudeCodeEnvironment(home, gateway.url),
          timeoutMs: 120_000,
        });
        const report = `${describeRun(run, fake.requests)}\n--- rejections ---\n${
          rejections.join("\n") || "(none)"
        }`;
        assert(!run.timedOut, `Claude Code did not finish\n${report}`);
        assert.deepEqual(rejections, [], `the upstream rejected requests\n${report}`);
        for (const [path, content] of files) {
          assert.equal(await Deno.readTextFile(path).catch(() => undefined), content, `${path}\n${report}`);
        }
        assert.equal(run.code, 0, `Claude Code failed\n${report}`);
        const followUp = fake.requests.map((request) => request.body as Body).find((body) =>
          (body.messages ?? []).some((message) => message.role === "tool")
        );
        const toolIds = (followUp?.messages ?? []).filter((message) => message.role === "tool").map((
          message,
        ) => message.tool_call_id);
        assert.deepEqual(
          toolIds.sort(),
          ["call_par_0", "call_par_1"],
          `both results must come back\n${report}`,
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
