/**
 * Sends a PDF through a real gateway process (kimi-k2.6 on a fake OpenCode service: it takes images, not PDFs)
 * while GET /api/hello probes its event loop, after a warm-up PDF has loaded the PDF libraries once; asserts
 * that the loop answered throughout. Request bodies are built before the probe runs: base64-encoding a large
 * PDF would stall the test process, not the server.
 */
import assert from "node:assert/strict";
import { startFakeOpencodeService } from "../support/fake_opencode_service.ts";
import { measureStall, startGatewayProcess } from "../support/gateway_process.ts";
import { pdfBlock } from "./pdf_fixtures.ts";

const KEY = "test-key-for-pdf-stall-probe";

/** What the upstream received for the measured PDF, JSON-encoded. */
export async function assertNoStallWhileReading(
  warm: Uint8Array,
  pdf: Uint8Array,
  variables: Record<string, string>,
): Promise<string> {
  const upstream = startFakeOpencodeService({ key: KEY, chat: ["kimi-k2.6"] });
  const gateway = await startGatewayProcess({
    OPENCODE_API_KEY: KEY,
    OPENCODE_GO_URL: upstream.url,
    OPENCODE_ZEN_URL: `${upstream.url}/zen`,
    MODELS_DEV_URL: `${upstream.url}/api.json`,
    LOG_LEVEL: "info",
    ...variables,
  }, { permissions: ["--allow-net", "--allow-env", "--allow-read", "--allow-write"] });
  const bodyFor = (bytes: Uint8Array) =>
    JSON.stringify({
      model: "kimi-k2.6",
      max_tokens: 100,
      messages: [{ role: "user", content: [pdfBlock(bytes), { type: "text", text: "Summarise" }] }],
    });
  const read = async (body: string) => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body,
    });
    return { status: response.status, text: await response.text() };
  };
  try {
    const warmed = await read(bodyFor(warm));
    assert.equal(warmed.status, 200, warmed.text);
    const measured = bodyFor(pdf);
    const { stall: idle } = await measureStall(
      gateway.url,
      () => new Promise((resolve) => setTimeout(resolve, 1_000)),
    );
    const { result, stall } = await measureStall(gateway.url, () => read(measured));
    assert.equal(result.status, 200, result.text);
    assert.equal(stall.failures, 0);
    assert.ok(stall.samples > 1, `only ${stall.samples} probe answers`);
    assert.ok(
      stall.maxMs < 200 + idle.maxMs,
      `the event loop stalled ${stall.maxMs.toFixed(0)} ms (idle probe ${idle.maxMs.toFixed(0)})`,
    );
    return JSON.stringify(upstream.requests.at(-1)!.body);
  } finally {
    await gateway.stop();
    await upstream.close();
  }
}
