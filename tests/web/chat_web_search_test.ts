/**
 * Chat Completions' `web_search_options` through the official OpenAI SDK: a model of each family calls the
 * emulated `web_search`, the gateway searches a fake Tavily, and the message carries OpenAI's url_citation
 * annotations (non-stream, and streamed through the SDK's stream helper). user_location reaches the model,
 * search_context_size the backend; anything OpenAI's schema lacks is a 400 in OpenAI's error form.
 */
import OpenAI from "openai";
import assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import type { FakeUpstream } from "../support/fake_upstream.ts";
import { answerAfterSearch, withWebGateway } from "./web_gateway.ts";
import { lastToolResultText } from "./web_fakes.ts";

const ANSWER = "Deno 2.6 is out. It adds a package manager UI [1].";
const CITED = "Deno 2.6 is out. It adds a package manager UI ([deno.com](https://deno.com/blog/v2.6)).";
const families: Family[] = ["openai-chat", "anthropic", "openai-responses", "gemini"];

function withChatGateway(
  family: Family,
  run: (context: { client: OpenAI; upstream: FakeUpstream; backend: FakeUpstream }) => Promise<void>,
  backend: "tavily" | "searxng" = "tavily",
): Promise<void> {
  return withWebGateway(
    family,
    answerAfterSearch(ANSWER),
    ({ openai, upstream, backend }) => run({ client: openai, upstream, backend: backend! }),
    backend,
  );
}

const PARAMS = {
  model: "model-x",
  messages: [{ role: "user" as const, content: "What is new in Deno 2.6?" }],
  web_search_options: {},
};

function checkMessage(message: OpenAI.Chat.ChatCompletionMessage): void {
  assert.ok(message.content!.endsWith(CITED), message.content!);
  assert.equal(message.annotations?.length, 1);
  const { url_citation: citation, type } = message.annotations![0];
  assert.equal(type, "url_citation");
  assert.equal(citation.url, "https://deno.com/blog/v2.6");
  assert.equal(citation.title, "Deno 2.6");
  assert.equal(
    message.content!.slice(citation.start_index, citation.end_index),
    "[deno.com](https://deno.com/blog/v2.6)",
  );
}

for (const family of families) {
  Deno.test(`Chat web_search_options on a ${family} model, non-stream: url_citation annotations`, async () => {
    await withChatGateway(family, async ({ client, upstream, backend }) => {
      const completion = await client.chat.completions.create(PARAMS);
      checkMessage(completion.choices[0].message);
      assert.equal(completion.choices[0].finish_reason, "stop");
      assert.equal(backend.requests.length, 1);
      assert.equal((backend.requests[0].body as { max_results: number }).max_results, 5);
      const first = JSON.stringify(upstream.requests[0].body);
      assert.ok(!first.includes("web_search_options"), first);
      assert.ok(first.includes('"web_search"'), first);
    });
  });

  Deno.test(`Chat web_search_options on a ${family} model, streamed: the SDK's final message`, async () => {
    await withChatGateway(family, async ({ client }) => {
      const completion = await client.chat.completions.stream(PARAMS).finalChatCompletion();
      checkMessage(completion.choices[0].message);
    });
  });
}

Deno.test("Chat web_search_options: user_location reaches the model, search_context_size the backend", async () => {
  for (const [size, expected] of [["low", 3], ["high", 10]] as const) {
    await withChatGateway("openai-chat", async ({ client, upstream, backend }) => {
      await client.chat.completions.create({
        ...PARAMS,
        web_search_options: {
          search_context_size: size,
          user_location: {
            type: "approximate",
            approximate: { city: "Lyon", country: "FR", timezone: "Europe/Paris" },
          },
        },
      });
      assert.equal((backend.requests[0].body as { max_results: number }).max_results, expected);
      const tools = (upstream.requests[0].body as { tools: { function: { description: string } }[] }).tools;
      assert.match(tools[0].function.description, /located in or near: Lyon, FR; time zone Europe\/Paris/);
    });
  }
});

Deno.test("Chat web_search_options: on SearXNG (no count parameter) search_context_size cuts the hit list", async () => {
  for (const [size, hits] of [["medium", 1], ["high", 2]] as const) {
    await withWebGateway(
      "openai-chat",
      answerAfterSearch(ANSWER),
      async ({ openai, upstream }) => {
        await openai.chat.completions.create({
          ...PARAMS,
          web_search_options: { search_context_size: size },
        });
        // TAVILY_MAX_RESULTS=1 is the default count; "high" asks for at least 10, and the fake has 2.
        const read = lastToolResultText(upstream.requests[1].body);
        assert.equal((read.match(/^\[\d+\] /gm) ?? []).length, hits, read);
      },
      "searxng",
      { TAVILY_MAX_RESULTS: "1" },
    );
  }
});

Deno.test("Chat web_search_options: fields OpenAI's schema lacks are a 400 in OpenAI's error form", async () => {
  await withChatGateway("openai-chat", async ({ client, upstream }) => {
    for (
      const options of [
        { search_context_size: "huge" },
        { user_location: { type: "exact", approximate: {} } },
        { max_results: 3 },
      ]
    ) {
      const error = await client.chat.completions.create({
        ...PARAMS,
        web_search_options: options as OpenAI.Chat.ChatCompletionCreateParams.WebSearchOptions,
      }).then(() => undefined, (caught) => caught);
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.equal(error.type, "invalid_request_error");
      assert.match(error.message, /web_search_options/);
    }
    assert.equal(upstream.requests.length, 0);
  });
});

Deno.test("Chat web_search_options: the annotated message sent back is accepted; the model reads the links", async () => {
  await withChatGateway("openai-chat", async ({ client, upstream }) => {
    const first = await client.chat.completions.create(PARAMS);
    const { content, annotations } = first.choices[0].message;
    // As a client echoes the message: annotations included, which the SDK's param type does not declare.
    const assistant = { role: "assistant" as const, content, annotations };
    await client.chat.completions.create({
      ...PARAMS,
      messages: [...PARAMS.messages, assistant, { role: "user", content: "Thanks." }],
    });
    const sent = JSON.stringify(upstream.requests.at(-1)!.body);
    assert.ok(sent.includes("[deno.com](https://deno.com/blog/v2.6)"), sent);
    assert.ok(!sent.includes("url_citation"), sent);
  });
});
