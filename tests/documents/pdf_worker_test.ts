/**
 * PDF text extraction runs in a worker thread with a time limit: a long PDF read by a text-only model never
 * stalls the real server's event loop (probed with GET /api/hello while it is extracted), and a PDF that takes
 * longer than PDF_EXTRACT_TIMEOUT_MS is a 400 naming that limit.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scriptedModel } from "../web/web_fakes.ts";
import { densePdf, pdfBlock, textPdf } from "./pdf_fixtures.ts";
import { assertNoStallWhileReading } from "./pdf_stall_probe.ts";

Deno.test("a 300-page PDF is turned into text without stalling the real server's event loop", async () => {
  // The first PDF loads pdf.js once; the per-request cost is what must stay off the event loop.
  const sent = await assertNoStallWhileReading(await textPdf(["warm up"]), await densePdf(300), {
    PDF_MAX_PAGES: "400",
  });
  assert.match(sent, /Document \\"Dense\\", 300 pages: text extracted/);
  assert.match(sent, /--- Page 300 ---\\nPage 300 line 0: the quick brown fox/);
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
