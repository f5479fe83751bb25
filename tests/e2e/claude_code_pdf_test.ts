/**
 * End to end: the pinned Claude Code CLI reads a PDF with its Read tool (which answers with a `document`
 * block inside the tool result) while a text-only chat model plays the model; the model must receive the
 * PDF's text, not a `file` part it cannot read.
 */
import assert from "node:assert/strict";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { type RecordedRequest, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { textPdf } from "../documents/pdf_fixtures.ts";
import { type ModelStep, scriptedModel } from "../web/web_fakes.ts";
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

const binary = findClaudeCode();
const skipped = skipSuffix(binary);
const MODEL = "kimi-k2.6";

Deno.test({
  name: `Claude Code ${CLAUDE_CODE_VERSION} reads a PDF and a text-only chat model gets its text${skipped}`,
  ignore: !binary,
  async fn() {
    await assertClaudeCodeRuns(binary!);
    const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
    const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
    const pdfPath = `${project}/report.pdf`;
    await Deno.writeFile(
      pdfPath,
      await textPdf(["Quarterly revenue grew by 17 percent", "Outlook stays positive"]),
    );
    const steps = (request: RecordedRequest): ModelStep => {
      const body = JSON.stringify(request.body);
      if (!body.includes('"name":"Read"')) return { text: "ok" };
      return body.includes("--- Page 1 ---")
        ? { text: "PDF-READ: revenue grew by 17 percent" }
        : { tool: "Read", input: { file_path: pdfPath } };
    };
    const upstream = scriptedModel("openai-chat", steps);
    const catalog = aliasingCatalog(
      fakeCatalog([{ id: MODEL, family: "openai-chat" }], { go: upstream.url }),
      MODEL,
      [],
    );
    const gateway = serveGateway(testGateway(testConfig(), { catalog }));
    try {
      const run = await runClaudeCode({
        binary: binary!,
        args: ["-p", "What does report.pdf say?", "--model", MODEL, "--allowedTools", "Read"],
        cwd: project,
        env: claudeCodeEnvironment(home, gateway.url),
        timeoutMs: 180_000,
      });
      const report = describeRun(run, upstream.requests);
      assert(!run.timedOut, report);
      assert.equal(run.code, 0, report);
      const final = JSON.stringify(upstream.requests.at(-1)!.body);
      assert.match(final, /Quarterly revenue grew by 17 percent/, report);
      assert.match(final, /text extracted from the PDF by the gateway/, report);
      assert.doesNotMatch(final, /application\/pdf;base64/, report);
      assert.match(run.stdout, /PDF-READ/, report);
    } finally {
      await gateway.close();
      await upstream.close();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(project, { recursive: true }).catch(() => {});
    }
  },
});
