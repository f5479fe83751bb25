/**
 * Page images of a scanned PDF are made in the PDF worker: while four 300-dpi pages are decoded, scaled and
 * re-encoded for an image-capable model, the real server's event loop keeps answering (probed with GET
 * /api/hello), and the pages reach the upstream as images.
 */
import assert from "node:assert/strict";
import { startFakeOpencodeService } from "../support/fake_opencode_service.ts";
import { measureStall, startGatewayProcess } from "../support/gateway_process.ts";
import { pageJpeg, pdfBlock, repeatedScanPdf, scanPdf } from "./pdf_fixtures.ts";

const KEY = "test-key-for-scan-stall-probe";

Deno.test("a 300-dpi scanned PDF becomes page images without stalling the real server's event loop", async () => {
  const pdf = await repeatedScanPdf(4, { jpeg: pageJpeg(1, 2550, 3300, false, true) });
  // kimi-k2.6 takes images in the bundled catalog: the pages go to it as images.
  const upstream = startFakeOpencodeService({ key: KEY, chat: ["kimi-k2.6"] });
  const gateway = await startGatewayProcess({
    OPENCODE_API_KEY: KEY,
    OPENCODE_GO_URL: upstream.url,
    OPENCODE_ZEN_URL: `${upstream.url}/zen`,
    MODELS_DEV_URL: `${upstream.url}/api.json`,
    // A loaded test machine may take several times the real cost; the limit is not what is tested here.
    PDF_EXTRACT_TIMEOUT_MS: "300000",
    LOG_LEVEL: "info",
  }, { permissions: ["--allow-net", "--allow-env", "--allow-read", "--allow-write"] });
  // Bodies are built before the probe runs: base64-encoding a 5 MB PDF would stall this process, not the server.
  const bodyFor = (bytes: Uint8Array) =>
    JSON.stringify({
      model: "kimi-k2.6",
      max_tokens: 100,
      messages: [{ role: "user", content: [pdfBlock(bytes), { type: "text", text: "Transcribe" }] }],
    });
  const read = async (body: string) => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body,
    });
    return { status: response.status, text: await response.text() };
  };
  const scanBody = bodyFor(pdf);
  try {
    // The first scan loads pdf.js, pdf-lib and jpeg-js once; the per-request cost must stay off the loop.
    const warm = await read(bodyFor(await scanPdf([{ image: "jpeg", width: 300, height: 400 }])));
    assert.equal(warm.status, 200, warm.text);
    const { stall: idle } = await measureStall(
      gateway.url,
      () => new Promise((resolve) => setTimeout(resolve, 1_000)),
    );
    const { result, stall } = await measureStall(gateway.url, () => read(scanBody));
    assert.equal(result.status, 200, result.text);
    const sent = JSON.stringify(upstream.requests.at(-1)!.body);
    assert.equal(sent.match(/"image_url":\{"url":"data:image\/jpeg;base64,/g)?.length, 4);
    assert.match(sent, /page 4 of 4, scanned: page image/);
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
