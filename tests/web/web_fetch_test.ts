/**
 * Emulated web_fetch: the gateway's own safe fetcher against a fake page server on loopback (allowed only
 * through the test setting WEB_FETCH_ALLOW_LOOPBACK), every refusal as Anthropic's error code, Tavily Extract
 * when configured, and PDFs.
 */
import type Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { textPdf } from "../documents/pdf_fixtures.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { lastToolResultText, type ModelStep } from "./web_fakes.ts";
import { withWebGateway } from "./web_gateway.ts";

const FETCH_TOOL = { type: "web_fetch_20250910", name: "web_fetch", max_uses: 5 } as const;

function startPageServer(pdf: Uint8Array) {
  return startFakeUpstream((request) => {
    const origin = `http://${request.headers.get("host")}`;
    switch (request.path) {
      case "/article":
        return new Response(
          "<html><head><title>Release notes</title><script>evil()</script></head><body><nav>Menu</nav>" +
            "<h1>Deno 2.6</h1><p>Adds a package manager UI.</p></body></html>",
          { headers: { "content-type": "text/html; charset=utf-8" } },
        );
      case "/doc.pdf":
        return new Response(pdf.slice(), { headers: { "content-type": "application/pdf" } });
      case "/image.png":
        return new Response(new Uint8Array([137, 80, 78, 71]), { headers: { "content-type": "image/png" } });
      case "/missing":
        return new Response("gone", { status: 404, headers: { "content-type": "text/plain" } });
      case "/to-private":
        return new Response(null, { status: 302, headers: { location: "http://10.0.0.7/admin" } });
      case "/to-article":
        return new Response(null, { status: 301, headers: { location: `${origin}/article` } });
      case "/loop":
        return new Response(null, { status: 302, headers: { location: `${origin}/loop` } });
      default:
        return new Response("not found", { status: 404 });
    }
  });
}

interface FetchCase {
  url: (origin: string) => string;
  /** Whether the user's message mentions the URL (the prior-context rule). */
  mention?: boolean;
  tool?: Record<string, unknown>;
  variables?: Record<string, string>;
}

async function fetchOnce(testCase: FetchCase) {
  const pdf = await textPdf(["First page words", "Second page words"]);
  const pages = startPageServer(pdf);
  const url = testCase.url(pages.url);
  const steps = (request: { body: unknown }): ModelStep => {
    const results = lastToolResultText(request.body);
    return results ? { text: `Read: ${results.slice(0, 300)}` } : { tool: "web_fetch", url };
  };
  try {
    let message: Anthropic.Message | undefined;
    await withWebGateway(
      "openai-chat",
      steps,
      async ({ client }) => {
        message = await client.messages.create({
          model: "model-x",
          max_tokens: 1000,
          messages: [{
            role: "user",
            content: testCase.mention === false ? "Read the page" : `Summarise ${url}`,
          }],
          tools: [{ ...FETCH_TOOL, ...testCase.tool } as unknown as Anthropic.ToolUnion],
        });
      },
      "none",
      { WEB_FETCH_ALLOW_LOOPBACK: "1", ...testCase.variables },
    );
    const result = message!.content.find((block) => block.type === "web_fetch_tool_result")!;
    assert.ok(result, JSON.stringify(message));
    return { message: message!, content: result.content as unknown as Record<string, unknown>, pages };
  } finally {
    await pages.close();
  }
}

const errorCode = (content: Record<string, unknown>) =>
  content.type === "web_fetch_tool_result_error"
    ? content.error_code
    : `not an error: ${JSON.stringify(content)}`;

Deno.test("web_fetch reads an HTML page as text: title kept, scripts and navigation gone", async () => {
  const { message, content } = await fetchOnce({ url: (origin) => `${origin}/article` });
  assert.equal(content.type, "web_fetch_result");
  const document = content.content as { source: { type: string; data: string }; title: string };
  assert.equal(document.title, "Release notes");
  assert.equal(document.source.type, "text");
  assert.match(document.source.data, /Deno 2\.6/);
  assert.match(document.source.data, /Adds a package manager UI\./);
  assert.doesNotMatch(document.source.data, /evil|Menu/);
  assert.match(String(content.retrieved_at), /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(message.usage.server_tool_use, { web_search_requests: 0, web_fetch_requests: 1 });
  assert.match((message.content.at(-1) as { text: string }).text, /untrusted web content/);
});

Deno.test("web_fetch follows a same-site redirect and re-checks the target", async () => {
  const { content } = await fetchOnce({ url: (origin) => `${origin}/to-article` });
  assert.equal(content.type, "web_fetch_result");
  assert.match(String(content.url), /\/article$/);
});

Deno.test("web_fetch returns a PDF as a base64 document and gives the model its text with page markers", async () => {
  const { message, content } = await fetchOnce({ url: (origin) => `${origin}/doc.pdf` });
  const document = content.content as { source: { type: string; media_type: string; data: string } };
  assert.equal(document.source.type, "base64");
  assert.equal(document.source.media_type, "application/pdf");
  const text = (message.content.at(-1) as { text: string }).text;
  assert.match(text, /--- Page 1 ---/);
  assert.match(text, /First page words/);
});

const refusals: [string, FetchCase, string][] = [
  [
    "a URL the conversation never mentioned",
    { url: (o) => `${o}/article`, mention: false },
    "url_not_in_prior_context",
  ],
  ["a non-http scheme", { url: () => "file:///etc/passwd" }, "invalid_tool_input"],
  ["a URL over 250 characters", { url: (o) => `${o}/article?${"x".repeat(260)}` }, "url_too_long"],
  ["loopback without the test setting", {
    url: (o) => `${o}/article`,
    variables: { WEB_FETCH_ALLOW_LOOPBACK: "0" },
  }, "url_not_allowed"],
  ["a redirect to a private address", { url: (o) => `${o}/to-private` }, "url_not_allowed"],
  ["a redirect loop", { url: (o) => `${o}/loop` }, "url_not_accessible"],
  ["an HTTP error", { url: (o) => `${o}/missing` }, "url_not_accessible"],
  ["an image", { url: (o) => `${o}/image.png` }, "unsupported_content_type"],
  [
    "a blocked domain",
    { url: (o) => `${o}/article`, tool: { blocked_domains: ["127.0.0.1"] } },
    "url_not_allowed",
  ],
  ["a domain outside allowed_domains", {
    url: (o) => `${o}/article`,
    tool: { allowed_domains: ["example.com"] },
  }, "url_not_allowed"],
  [
    "a link-local metadata address",
    { url: () => "http://169.254.169.254/latest/meta-data" },
    "url_not_allowed",
  ],
];

for (const [label, testCase, code] of refusals) {
  Deno.test(`web_fetch refuses ${label} with ${code}`, async () => {
    const { content, message } = await fetchOnce(testCase);
    assert.equal(errorCode(content), code);
    assert.equal(message.stop_reason, "end_turn");
  });
}

Deno.test("web_fetch goes through Tavily Extract when TAVILY_API_KEY is set", async () => {
  const url = "https://deno.com/blog/v2.6";
  const steps = (request: { body: unknown }): ModelStep => {
    const results = lastToolResultText(request.body);
    return results ? { text: `Read: ${results.slice(0, 200)}` } : { tool: "web_fetch", url };
  };
  await withWebGateway("openai-chat", steps, async ({ client, backend }) => {
    const message = await client.messages.create({
      model: "model-x",
      max_tokens: 1000,
      messages: [{ role: "user", content: `What does ${url} say?` }],
      tools: [FETCH_TOOL],
    });
    const result = message.content.find((block) => block.type === "web_fetch_tool_result")!;
    const content = result.content as unknown as { content: { source: { data: string } } };
    assert.match(content.content.source.data, /Text of https:\/\/deno\.com\/blog\/v2\.6/);
    assert.equal(backend!.requests[0].path, "/extract");
    assert.deepEqual(backend!.requests[0].body, { urls: [url], format: "markdown" });
  });
});
