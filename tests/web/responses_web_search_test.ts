/**
 * An OpenAI Responses client's hosted `web_search` tool runs through the same emulation: the official OpenAI
 * SDK asks a chat-family model, which calls `web_search`; the gateway searches the fake Tavily.
 */
import OpenAI from "openai";
import assert from "node:assert/strict";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { scriptedModel, startFakeTavily } from "./web_fakes.ts";
import { searchOnce } from "./web_gateway.ts";

for (const stream of [false, true]) {
  Deno.test(`Responses web_search is emulated (${stream ? "streamed" : "non-stream"})`, async () => {
    const upstream = scriptedModel("openai-chat", searchOnce);
    const tavily = startFakeTavily();
    const gateway = serveGateway(
      testGateway(testConfig({ TAVILY_API_KEY: "tvly-test-key", TAVILY_BASE_URL: tavily.url }), {
        catalog: fakeCatalog([{ id: "model-x", family: "openai-chat", reasoning: false }], {
          go: upstream.url,
        }),
      }),
    );
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "test-key", maxRetries: 0 });
      const params = {
        model: "model-x",
        input: "What is new in Deno 2.6?",
        tools: [{ type: "web_search" as const, filters: { allowed_domains: ["deno.com"] } }],
      };
      let text: string;
      if (stream) {
        const events = await client.responses.create({ ...params, stream: true });
        text = "";
        for await (const event of events) {
          if (event.type === "response.output_text.delta") text += event.delta;
        }
      } else {
        text = (await client.responses.create(params)).output_text;
      }
      assert.match(text, /Deno 2\.6 adds a package manager UI/);
      assert.equal(tavily.requests.length, 1);
      assert.deepEqual((tavily.requests[0].body as Record<string, unknown>).include_domains, ["deno.com"]);
      assert.doesNotMatch(JSON.stringify(upstream.requests[0].body), /"type":"web_search"/);
    } finally {
      await gateway.close();
      await upstream.close();
      await tavily.close();
    }
  });
}
