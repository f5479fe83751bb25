/**
 * PDFs and other documents reaching each kind of model, through the official Anthropic SDK: a text-only
 * model gets the extracted text (title, page markers, a note), a PDF-capable model the PDF in its family's
 * native form, in user turns and inside tool results; broken PDFs are a 400 naming the problem.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { type FakeUpstream, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scriptedModel } from "../web/web_fakes.ts";
import { corruptPdf, encryptedPdf, pdfBlock, scannedPdf, textPdf } from "./pdf_fixtures.ts";

async function withModel(
  family: Family,
  pdf: boolean,
  run: (client: Anthropic, upstream: FakeUpstream) => Promise<void>,
  variables: Record<string, string> = {},
): Promise<void> {
  const upstream = scriptedModel(family, () => ({ text: "read it" }));
  const gateway = serveGateway(
    testGateway(testConfig(variables), {
      catalog: fakeCatalog([{ id: "doc-model", family, pdf, reasoning: false }], { go: upstream.url }),
    }),
  );
  try {
    await run(new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 }), upstream);
  } finally {
    await gateway.close();
    await upstream.close();
  }
}

const ask = (client: Anthropic, content: Anthropic.ContentBlockParam[]) =>
  client.messages.create({ model: "doc-model", max_tokens: 200, messages: [{ role: "user", content }] });

const inToolResult = (client: Anthropic, block: Anthropic.DocumentBlockParam) =>
  client.messages.create({
    model: "doc-model",
    max_tokens: 200,
    tools: [{
      name: "Read",
      input_schema: { type: "object", properties: { file_path: { type: "string" } } },
    }],
    messages: [
      { role: "user", content: "Read the report" },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_1", name: "Read", input: { file_path: "r.pdf" } }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [block] }] },
    ],
  });

const sent = (upstream: FakeUpstream) => JSON.stringify(upstream.requests[0].body);

for (const family of ["openai-chat", "openai-responses", "gemini"] as const) {
  Deno.test(`a text-only ${family} model gets a user-turn PDF as extracted text with page markers`, async () => {
    await withModel(family, false, async (client, upstream) => {
      await ask(client, [pdfBlock(await textPdf(["Alpha page", "Beta page"]), "Q3 report"), {
        type: "text",
        text: "Summarise",
      }]);
      const body = sent(upstream);
      assert.match(body, /Document \\"Q3 report\\", 2 pages: text extracted from the PDF by the gateway/);
      assert.match(body, /--- Page 1 ---\\nAlpha page/);
      assert.match(body, /--- Page 2 ---\\nBeta page/);
      assert.doesNotMatch(body, /application\/pdf/);
    });
  });

  Deno.test(`a text-only ${family} model gets a PDF inside a tool result as text`, async () => {
    await withModel(family, false, async (client, upstream) => {
      await inToolResult(client, pdfBlock(await textPdf(["Tool page text"])));
      const body = sent(upstream);
      assert.match(body, /--- Page 1 ---\\nTool page text/);
      assert.doesNotMatch(body, /application\/pdf/);
    });
  });
}

Deno.test("a PDF-capable Responses model gets the PDF as input_file, in a user turn and in a tool result", async () => {
  await withModel("openai-responses", true, async (client, upstream) => {
    await ask(client, [pdfBlock(await textPdf(["Native"]), "native"), { type: "text", text: "Summarise" }]);
    assert.match(
      sent(upstream),
      /"type":"input_file","filename":"native.pdf","file_data":"data:application\/pdf;base64,/,
    );
  });
});

Deno.test("a PDF-capable Gemini model gets the PDF as inlineData", async () => {
  await withModel("gemini", true, async (client, upstream) => {
    await ask(client, [pdfBlock(await textPdf(["Native"])), { type: "text", text: "Summarise" }]);
    assert.match(sent(upstream), /"inlineData":\{"mimeType":"application\/pdf","data":"/);
  });
});

Deno.test("a PDF-capable Anthropic-format model gets the document block unchanged", async () => {
  await withModel("anthropic", true, async (client, upstream) => {
    await inToolResult(client, pdfBlock(await textPdf(["Native"])));
    assert.match(
      sent(upstream),
      /"type":"document","source":\{"type":"base64","media_type":"application\/pdf"/,
    );
  });
});

Deno.test("text and content documents become plain blocks for a chat model", async () => {
  await withModel("openai-chat", false, async (client, upstream) => {
    await ask(client, [
      {
        type: "document",
        source: { type: "text", media_type: "text/plain", data: "Plain notes" },
        title: "Notes",
      },
      { type: "document", source: { type: "content", content: [{ type: "text", text: "Block content" }] } },
      {
        type: "search_result",
        source: "https://example.com/s",
        title: "Result",
        content: [{ type: "text", text: "Found text" }],
      },
      { type: "text", text: "Use them" },
    ]);
    const body = sent(upstream);
    assert.match(body, /\[Document \\"Notes\\"\]\\nPlain notes/);
    assert.match(body, /Block content/);
    assert.match(body, /Search result \\"Result\\" \(source: https:\/\/example.com\/s\):\\nFound text/);
  });
});

Deno.test("a scanned PDF without a text layer says so", async () => {
  await withModel("openai-chat", false, async (client, upstream) => {
    await ask(client, [pdfBlock(await scannedPdf()), { type: "text", text: "Summarise" }]);
    assert.match(sent(upstream), /no text layer \(it looks scanned\)/);
  });
});

const broken: [string, () => Promise<Uint8Array> | Uint8Array, RegExp, Record<string, string>][] = [
  ["an encrypted PDF", encryptedPdf, /is encrypted \(password protected\)/, {}],
  ["a corrupt PDF", corruptPdf, /is corrupt or unreadable/, {}],
  ["a PDF over PDF_MAX_PAGES", () => textPdf(["one", "two"]), /has 2 pages; the gateway accepts up to 1/, {
    PDF_MAX_PAGES: "1",
  }],
  ["a PDF over PDF_MAX_BYTES", () => textPdf(["one"]), /bytes; the gateway accepts PDFs up to 100 bytes/, {
    PDF_MAX_BYTES: "100",
  }],
  ["bytes that are not a PDF", () => new TextEncoder().encode("hello"), /is not a PDF/, {}],
];

for (const [label, make, message, variables] of broken) {
  Deno.test(`${label} for a text-only model is a 400 naming the problem`, async () => {
    await withModel("openai-chat", false, async (client, upstream) => {
      await assert.rejects(
        ask(client, [pdfBlock(await make()), { type: "text", text: "Summarise" }]),
        (error: unknown) => error instanceof Anthropic.BadRequestError && message.test(error.message),
      );
      assert.equal(upstream.requests.length, 0);
    }, variables);
  });
}
