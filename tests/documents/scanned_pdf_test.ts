/**
 * Scanned PDFs (pages without a text layer) through the official Anthropic SDK against fake upstreams: the
 * pages reach a model that reads images as page images in its family's own form (chat `image_url`, Gemini
 * `inlineData`, Anthropic `image`), after a text marker per page; a text-only model's request goes to the
 * vision model with them (VISION_MODEL or one found in the catalog); with no reader at all, and for pages that
 * hold no picture, the model is told so in text. In user turns and inside tool results (Claude Code's Read).
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { encodeBase64 } from "../../lib/documents/base64.ts";
import { fakeCatalog, type FakeModel } from "../support/fake_catalog.ts";
import { type FakeUpstream, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scriptedModel } from "../web/web_fakes.ts";
import { encryptedPdf, pageJpeg, pdfBlock, scannedPdf, scanPdf } from "./pdf_fixtures.ts";

interface Setup {
  models: FakeModel[];
  variables?: Record<string, string>;
}

interface Sent {
  /** The upstream that answered (go or zen) and what it received. */
  go: FakeUpstream;
  zen: FakeUpstream;
  reroute: string | null;
}

const textOnly: FakeModel = { id: "text-model", family: "openai-chat", reasoning: false };
const visionClaude: FakeModel = {
  id: "vision-claude",
  family: "anthropic",
  service: "zen",
  image: true,
  reasoning: false,
};

async function send(
  setup: Setup,
  content: (document: Anthropic.DocumentBlockParam) => Anthropic.MessageParam[],
  pdf: Uint8Array,
  options: { stream?: boolean } = {},
): Promise<Sent> {
  const family = (service: "go" | "zen") =>
    setup.models.find((model) => (model.service ?? "go") === service)?.family ?? "openai-chat";
  const go = scriptedModel(family("go") as "openai-chat", () => ({ text: "read the pages" }));
  const zen = scriptedModel(family("zen") as "anthropic", () => ({ text: "read the pages" }));
  const gateway = serveGateway(
    testGateway(testConfig(setup.variables ?? {}), {
      catalog: fakeCatalog(setup.models, { go: go.url, zen: zen.url }),
    }),
  );
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
    const body = {
      model: setup.models[0].id,
      max_tokens: 300,
      tools: [{ name: "Read", input_schema: { type: "object" as const, properties: {} } }],
      messages: content(pdfBlock(pdf, "Scan")),
    };
    let reroute: string | null;
    if (options.stream) {
      const stream = client.messages.stream(body);
      const message = await stream.finalMessage();
      assert.match(JSON.stringify(message.content), /read the pages/);
      reroute = (await stream.withResponse()).response.headers.get("x-opencode-vision-reroute");
    } else {
      const { data, response } = await client.messages.create(body).withResponse();
      assert.match(JSON.stringify(data.content), /read the pages/);
      reroute = response.headers.get("x-opencode-vision-reroute");
    }
    return { go, zen, reroute };
  } finally {
    await gateway.close();
    await go.close();
    await zen.close();
  }
}

const userTurn = (document: Anthropic.DocumentBlockParam): Anthropic.MessageParam[] => [
  { role: "user", content: [document, { type: "text", text: "What does the scan say?" }] },
];

/** Claude Code's Read tool returns a PDF as a document block inside the tool_result. */
const toolResult = (document: Anthropic.DocumentBlockParam): Anthropic.MessageParam[] => [
  { role: "user", content: "Read scan.pdf" },
  {
    role: "assistant",
    content: [{ type: "tool_use", id: "toolu_scan", name: "Read", input: { file_path: "/tmp/scan.pdf" } }],
  },
  { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_scan", content: [document] }] },
];

/** Page 1 a JPEG that fits (passed through), page 2 an embedded PNG, page 3 typed text. */
const mixedScan = () =>
  scanPdf([{ image: "jpeg" }, { image: "png", width: 600, height: 800 }, { text: "Typed" }]);
const jpegBase64 = encodeBase64(pageJpeg(1));
const sentBody = (upstream: FakeUpstream) => JSON.stringify(upstream.requests[0].body);

for (const [where, content] of [["a user turn", userTurn], ["a tool result", toolResult]] as const) {
  Deno.test(`a text-only model with VISION_MODEL: a scan in ${where} goes to the vision model as page images`, async () => {
    const { go, zen, reroute } = await send(
      { models: [textOnly, visionClaude], variables: { VISION_MODEL: "vision-claude" } },
      content,
      await mixedScan(),
    );
    assert.equal(go.requests.length, 0, "the text-only model is not asked");
    assert.equal(reroute, "text-model -> vision-claude");
    const request = zen.requests[0].body as { model: string; messages: { content: unknown }[] };
    assert.equal(request.model, "vision-claude");
    const body = JSON.stringify(request.messages.at(-1));
    assert.match(body, /\[Document \\"Scan\\", page 1 of 3, scanned: page image\]/);
    assert.ok(
      body.includes(JSON.stringify({
        type: "image",
        source: { type: "base64", media_type: "image/jpeg", data: jpegBase64 },
      })),
      "page 1's JPEG, unchanged, as an Anthropic image block",
    );
    assert.match(
      body,
      /page 2 of 3, scanned: page image\]"\},\{"type":"image","source":\{"type":"base64","media_type":"image\/png"/,
    );
    assert.match(body, /--- Page 3 ---\\nTyped/);
    assert.doesNotMatch(body, /application\/pdf/);
  });
}

Deno.test("a streamed request with a scan finds an image-capable Go model in the catalog when VISION_MODEL is unset", async () => {
  const seer: FakeModel = { id: "seer-2", family: "openai-chat", image: true, reasoning: false };
  const { go, reroute } = await send({ models: [textOnly, seer] }, userTurn, await mixedScan(), {
    stream: true,
  });
  assert.equal(reroute, "text-model -> seer-2");
  assert.equal((go.requests[0].body as { model: string }).model, "seer-2");
  assert.ok(sentBody(go).includes(`data:image/jpeg;base64,${jpegBase64}`));
});

for (const [where, content] of [["a user turn", userTurn], ["a tool result", toolResult]] as const) {
  Deno.test(`an image-capable chat model reads a scan in ${where} itself as image_url parts`, async () => {
    const eyes: FakeModel = { id: "eyes-1", family: "openai-chat", image: true, reasoning: false };
    const { go, reroute } = await send({ models: [eyes] }, content, await mixedScan());
    assert.equal(reroute, null);
    const body = sentBody(go);
    assert.ok(body.includes(`"image_url":{"url":"data:image/jpeg;base64,${jpegBase64}"`), body.slice(0, 400));
    assert.match(body, /"image_url":\{"url":"data:image\/png;base64,iVBORw0KGgo/);
    assert.match(body, /page 1 of 3, scanned: page image/);
  });
}

Deno.test("a Gemini model that reads images gets a scan's pages as inlineData", async () => {
  const gemini: FakeModel = { id: "gemini-eyes", family: "gemini", image: true, reasoning: false };
  const { go } = await send({ models: [gemini] }, userTurn, await mixedScan());
  const body = sentBody(go);
  assert.ok(body.includes(JSON.stringify({ inlineData: { mimeType: "image/jpeg", data: jpegBase64 } })));
  assert.match(body, /"inlineData":\{"mimeType":"image\/png","data":"iVBORw0KGgo/);
  assert.match(body, /--- Page 3 ---\\nTyped/);
});

Deno.test("with no model that reads images anywhere, a scan is a note that the model cannot read it", async () => {
  const { go, reroute } = await send({ models: [textOnly] }, userTurn, await mixedScan());
  assert.equal(reroute, null);
  const body = sentBody(go);
  assert.doesNotMatch(body, /image_url|scanned: page image/);
  assert.match(body, /--- Page 3 ---\\nTyped/);
  const only = await send({ models: [textOnly] }, toolResult, await scanPdf([{ image: "jpeg" }]));
  assert.match(sentBody(only.go), /its pages are images that this model cannot read/);
  assert.doesNotMatch(sentBody(only.go), /vision model/);
});

Deno.test("drawn pages with no picture: an image reader is told there is nothing to send, and no re-route", async () => {
  const { go, zen, reroute } = await send(
    { models: [textOnly, visionClaude], variables: { VISION_MODEL: "vision-claude" } },
    userTurn,
    await scannedPdf(),
  );
  assert.equal(reroute, null);
  assert.equal(zen.requests.length, 0);
  assert.match(sentBody(go), /its pages hold no embedded images \(they are drawn, not scanned\)/);
});

Deno.test("pages past PDF_IMAGE_MAX_PAGES are named in a note", async () => {
  const eyes: FakeModel = { id: "eyes-1", family: "openai-chat", image: true, reasoning: false };
  const pages = Array.from({ length: 5 }, () => ({ image: "jpeg" as const, width: 200, height: 260 }));
  const { go } = await send(
    { models: [eyes], variables: { PDF_IMAGE_MAX_PAGES: "2" } },
    userTurn,
    await scanPdf(pages),
  );
  const body = sentBody(go);
  assert.equal(body.match(/scanned: page image/g)?.length, 2);
  assert.equal(body.match(/"image_url":\{/g)?.length, 2);
  assert.match(
    body,
    /Pages 3-5 of Document \\"Scan\\": no text layer; not sent as images: the gateway sends at most 2 page images per PDF \(PDF_IMAGE_MAX_PAGES\)/,
  );
});

Deno.test("an encrypted PDF for a model that reads images is still a 400 naming the problem", async () => {
  const eyes: FakeModel = { id: "eyes-1", family: "openai-chat", image: true, reasoning: false };
  const error = await send({ models: [eyes] }, userTurn, encryptedPdf()).then(
    () => undefined,
    (error) => error,
  );
  assert.ok(error instanceof Anthropic.BadRequestError, String(error));
  assert.match(JSON.stringify(error.error), /PDF \\"Scan\\" is encrypted \(password protected\)/);
});
