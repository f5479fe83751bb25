/**
 * PDF text extraction runs in a worker thread with a time limit: a long PDF read by a text-only model never
 * stalls the real server's event loop (probed with GET /api/hello while it is extracted), and a PDF that takes
 * longer than PDF_EXTRACT_TIMEOUT_MS is a 400 naming that limit.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { startFakeOpencodeService } from "../support/fake_opencode_service.ts";
import { measureStall, startGatewayProcess } from "../support/gateway_process.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scriptedModel } from "../web/web_fakes.ts";
import { densePdf, pdfBlock, textPdf } from "./pdf_fixtures.ts";

const KEY = "test-key-for-pdf-stall-probe";

Deno.test("a 300-page PDF is turned into text without stalling the real server's event loop", async () => {
  const pdf = await densePdf(300);
  const upstream = startFakeOpencodeService({ key: KEY, chat: ["kimi-k2.6"] });
  const gateway = await startGatewayProcess({
    OPENCODE_API_KEY: KEY,
    OPENCODE_GO_URL: upstream.url,
    OPENCODE_ZEN_URL: `${upstream.url}/zen`,
    MODELS_DEV_URL: `${upstream.url}/api.json`,
    PDF_MAX_PAGES: "400",
    LOG_LEVEL: "info",
  }, { permissions: ["--allow-net", "--allow-env", "--allow-read", "--allow-write"] });
  const read = async (bytes: Uint8Array) => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({
        model: "kimi-k2.6",
        max_tokens: 100,
        messages: [{ role: "user", content: [pdfBlock(bytes), { type: "text", text: "Summarise" }] }],
      }),
    });
    return { status: response.status, text: await response.text() };
  };
  try {
    // The first PDF loads pdf.js once; the per-request cost is what must stay off the event loop.
    const warm = await read(await textPdf(["warm up"]));
    assert.equal(warm.status, 200, warm.text);
    const { stall: idle } = await measureStall(
      gateway.url,
      () => new Promise((resolve) => setTimeout(resolve, 1_000)),
    );
    const { result, stall } = await measureStall(gateway.url, () => read(pdf));
    assert.equal(result.status, 200, result.text);
    const sent = JSON.stringify(upstream.requests.at(-1)!.body);
    assert.match(sent, /Document \\"Dense\\", 300 pages: text extracted/);
    assert.match(sent, /--- Page 300 ---\\nPage 300 line 0: the quick brown fox/);
    assert.equal(stall.failures, 0);
    assert.ok(stall.samples > 1, `only ${stall.samples} probe answers`);
    assert.ok(
      stall.maxMs < 200 + idle.maxMs,
      `the event loop stalled ${stall.maxMs.toFixed(0)} ms (idle probe ${idle.maxMs.toFixed(0)})`,
    );
  } finally {
    await gateway.stop();
    await upstream.close();
  }
});

Deno.test("a PDF that takes longer than PDF_EXTRACT_TIMEOUT_MS is a 400 naming the limit", async () => {
  const upstream = scriptedModel("openai-chat", () => ({ text: "unused" }));
  const gateway = serveGateway(
    // 1 ms: less than a worker needs to start, so the limit always runs out first.
    testGateway(testConfig({ PDF_EXTRACT_TIMEOUT_MS: "1" }), {
      catalog: fakeCatalog([{ id: "doc-model", family: "openai-chat", reasoning: false }], {
        go: upstream.url,
      }),
    }),
  );
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
    const error = await client.messages.create({
      model: "doc-model",
      max_tokens: 100,
      messages: [{
        role: "user",
        content: [pdfBlock(await densePdf(5), "Big report"), { type: "text", text: "Hi" }],
      }],
    }).then(() => undefined, (error) => error);
    assert.ok(error instanceof Anthropic.BadRequestError, String(error));
    assert.match(
      JSON.stringify(error.error),
      /PDF \\"Big report\\" took longer than PDF_EXTRACT_TIMEOUT_MS \(1 ms\) to turn into text/,
    );
    assert.equal(upstream.requests.length, 0);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});
