/**
 * End to end: the pinned Claude Code CLI reads a scanned PDF (pages that are pictures, no text layer) with its
 * Read tool while a text-only chat model plays the model and VISION_MODEL names an image-capable one: the
 * request carrying the tool result goes to the vision model with the pages as images, and its answer reaches
 * Claude Code's output.
 */
import assert from "node:assert/strict";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { type RecordedRequest, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scanPdf } from "../documents/pdf_fixtures.ts";
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
const MODEL = "glm-text";
const VISION = "seer-vision";

Deno.test({
  name:
    `Claude Code ${CLAUDE_CODE_VERSION} reads a scanned PDF and the vision model gets its pages${skipped}`,
  ignore: !binary,
  async fn() {
    await assertClaudeCodeRuns(binary!);
    const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
    const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
    const pdfPath = `${project}/scan.pdf`;
    await Deno.writeFile(
      pdfPath,
      await scanPdf([{ image: "jpeg" }, { image: "png", width: 600, height: 800 }]),
    );
    const steps = (request: RecordedRequest): ModelStep => {
      const body = JSON.stringify(request.body);
      if (!body.includes('"name":"Read"')) return { text: "ok" };
      return body.includes("scanned: page image") && body.includes("data:image/png;base64,")
        ? { text: "SCAN-READ: two scanned pages" }
        : { tool: "Read", input: { file_path: pdfPath } };
    };
    const upstream = scriptedModel("openai-chat", steps);
    const catalog = aliasingCatalog(
      fakeCatalog([
        { id: MODEL, family: "openai-chat" },
        { id: VISION, family: "openai-chat", image: true },
      ], { go: upstream.url }),
      MODEL,
      [],
    );
    const gateway = serveGateway(testGateway(testConfig({ VISION_MODEL: VISION }), { catalog }));
    try {
      const run = await runClaudeCode({
        binary: binary!,
        args: ["-p", "What does scan.pdf say?", "--model", MODEL, "--allowedTools", "Read"],
        cwd: project,
        env: claudeCodeEnvironment(home, gateway.url),
        timeoutMs: 180_000,
      });
      const report = describeRun(run, upstream.requests);
      assert(!run.timedOut, report);
      assert.equal(run.code, 0, report);
      const final = upstream.requests.at(-1)!.body as { model: string };
      assert.equal(final.model, VISION, report);
      const sent = JSON.stringify(final);
      assert.match(sent, /page 1 of 2, scanned: page image/, report);
      assert.match(sent, /data:image\/jpeg;base64,/, report);
      assert.doesNotMatch(sent, /application\/pdf;base64/, report);
      assert.match(run.stdout, /SCAN-READ/, report);
    } finally {
      await gateway.close();
      await upstream.close();
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(project, { recursive: true }).catch(() => {});
    }
  },
});
