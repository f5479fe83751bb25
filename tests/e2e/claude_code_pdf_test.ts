/**
 * End to end: the pinned Claude Code CLI reads a PDF with its Read tool (which answers with a `document`
 * block inside the tool result) while a text-only chat model plays the model. A text PDF: the model must
 * receive the PDF's text, not a `file` part it cannot read. A scanned PDF (pages that are pictures) with
 * VISION_MODEL set: the request carrying the tool result goes to the vision model with the pages as images.
 */
import assert from "node:assert/strict";
import { fakeCatalog, type FakeModel } from "../support/fake_catalog.ts";
import { type RecordedRequest, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scanPdf, textPdf } from "../documents/pdf_fixtures.ts";
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

interface PdfRun {
  /** What the upstream received last, and Claude Code's output. */
  final: Record<string, unknown>;
  stdout: string;
  report: string;
}

/**
 * Claude Code is asked what `name` says; the scripted model calls Read on it, then answers `answer` once
 * `readable` says the tool result reached it in a form it can read.
 */
async function readPdf(
  name: string,
  pdf: Uint8Array,
  options: { models: FakeModel[]; variables?: Record<string, string>; readable: RegExp; answer: string },
): Promise<PdfRun> {
  await assertClaudeCodeRuns(binary!);
  const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
  const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
  const pdfPath = `${project}/${name}`;
  await Deno.writeFile(pdfPath, pdf);
  const steps = (request: RecordedRequest): ModelStep => {
    const body = JSON.stringify(request.body);
    if (!body.includes('"name":"Read"')) return { text: "ok" };
    return options.readable.test(body)
      ? { text: options.answer }
      : { tool: "Read", input: { file_path: pdfPath } };
  };
  const upstream = scriptedModel("openai-chat", steps);
  const catalog = aliasingCatalog(fakeCatalog(options.models, { go: upstream.url }), MODEL, []);
  const gateway = serveGateway(testGateway(testConfig(options.variables ?? {}), { catalog }));
  try {
    const run = await runClaudeCode({
      binary: binary!,
      args: ["-p", `What does ${name} say?`, "--model", MODEL, "--allowedTools", "Read"],
      cwd: project,
      env: claudeCodeEnvironment(home, gateway.url),
      timeoutMs: 180_000,
    });
    const report = describeRun(run, upstream.requests);
    assert(!run.timedOut, report);
    assert.equal(run.code, 0, report);
    return { final: upstream.requests.at(-1)!.body as Record<string, unknown>, stdout: run.stdout, report };
  } finally {
    await gateway.close();
    await upstream.close();
    await Deno.remove(home, { recursive: true }).catch(() => {});
    await Deno.remove(project, { recursive: true }).catch(() => {});
  }
}

Deno.test({
  name: `Claude Code ${CLAUDE_CODE_VERSION} reads a PDF and a text-only chat model gets its text${skipped}`,
  ignore: !binary,
  async fn() {
    const { final, stdout, report } = await readPdf(
      "report.pdf",
      await textPdf(["Quarterly revenue grew by 17 percent", "Outlook stays positive"]),
      {
        models: [{ id: MODEL, family: "openai-chat" }],
        readable: /--- Page 1 ---/,
        answer: "PDF-READ: revenue grew by 17 percent",
      },
    );
    const sent = JSON.stringify(final);
    assert.match(sent, /Quarterly revenue grew by 17 percent/, report);
    assert.match(sent, /text extracted from the PDF by the gateway/, report);
    assert.doesNotMatch(sent, /application\/pdf;base64/, report);
    assert.match(stdout, /PDF-READ/, report);
  },
});

Deno.test({
  name:
    `Claude Code ${CLAUDE_CODE_VERSION} reads a scanned PDF and the vision model gets its pages${skipped}`,
  ignore: !binary,
  async fn() {
    const vision = "seer-vision";
    const { final, stdout, report } = await readPdf(
      "scan.pdf",
      await scanPdf([{ image: "jpeg" }, { image: "png", width: 600, height: 800 }]),
      {
        // The fake kimi-k2.6 has no image input here, as GLM or DeepSeek: only the vision model reads pages.
        models: [{ id: MODEL, family: "openai-chat" }, { id: vision, family: "openai-chat", image: true }],
        variables: { VISION_MODEL: vision },
        readable: /scanned: page image[\s\S]*data:image\/png;base64,/,
        answer: "SCAN-READ: two scanned pages",
      },
    );
    assert.equal(final.model, vision, report);
    const sent = JSON.stringify(final);
    assert.match(sent, /page 1 of 2, scanned: page image/, report);
    assert.match(sent, /data:image\/jpeg;base64,/, report);
    assert.doesNotMatch(sent, /application\/pdf;base64/, report);
    assert.match(stdout, /SCAN-READ/, report);
  },
});
