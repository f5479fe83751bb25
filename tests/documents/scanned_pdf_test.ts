/**
 * A scanned PDF (no text layer) for a model without PDF input: the note tells the model what would get the
 * pages read — images for a model that takes them, or the catalog's vision model, named — or, with neither,
 * that it cannot read them.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { fakeCatalog, type FakeModel } from "../support/fake_catalog.ts";
import { type FakeUpstream, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scriptedModel } from "../web/web_fakes.ts";
import { pdfBlock, scannedPdf } from "./pdf_fixtures.ts";

async function scannedNote(
  models: FakeModel[],
  variables: Record<string, string> = {},
): Promise<string> {
  const upstream: FakeUpstream = scriptedModel("openai-chat", () => ({ text: "ok" }));
  const gateway = serveGateway(
    testGateway(testConfig(variables), { catalog: fakeCatalog(models, { go: upstream.url }) }),
  );
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
    await client.messages.create({
      model: models[0].id,
      max_tokens: 100,
      messages: [{
        role: "user",
        content: [pdfBlock(await scannedPdf(), "Scan"), { type: "text", text: "Read" }],
      }],
    });
    const body = upstream.requests[0].body as { messages: { content: string | { text?: string }[] }[] };
    const content = body.messages.at(-1)!.content;
    return typeof content === "string" ? content : content.map((part) => part.text ?? "").join("\n");
  } finally {
    await gateway.close();
    await upstream.close();
  }
}

const textOnly: FakeModel = { id: "text-model", family: "openai-chat", reasoning: false };

Deno.test("a scanned PDF's note names the catalog's vision model (VISION_MODEL)", async () => {
  const note = await scannedNote(
    [textOnly, { id: "vision-x", family: "openai-chat", image: true, reasoning: false }],
    { VISION_MODEL: "vision-x" },
  );
  assert.match(note, /no text layer \(it looks scanned\)/);
  assert.match(note, /the gateway routes requests with images to its vision model vision-x/);
});

Deno.test("a scanned PDF's note names an image-capable Go model found in the catalog", async () => {
  const note = await scannedNote([
    textOnly,
    { id: "seer-2", family: "openai-chat", image: true, reasoning: false },
  ]);
  assert.match(note, /its vision model seer-2/);
});

Deno.test("a scanned PDF for a model that takes images says images would be read", async () => {
  const note = await scannedNote([{ id: "eyes-1", family: "openai-chat", image: true, reasoning: false }]);
  assert.match(
    note,
    /This model does read images: sent as images \(screenshots of the pages\), they can be read/,
  );
});

Deno.test("a scanned PDF with no vision model anywhere says the model cannot read it", async () => {
  const note = await scannedNote([textOnly]);
  assert.match(note, /its pages are images that this model cannot read/);
  assert.doesNotMatch(note, /vision model/);
});
