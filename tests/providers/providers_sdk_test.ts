/**
 * A providers file with five kinds of provider (OpenRouter-style chat, Anthropic format, Responses, Azure, Gemini),
 * all faked on 127.0.0.1, driven through the gateway by both official SDKs: each provider gets its own key in
 * its own header and its own extra headers, never the server's OpenCode key or OpenCode's session headers.
 */
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import OpenAI from "openai";
import {
  type FakeProviders,
  type ProviderGateway,
  providerKeys,
  replyOf,
  withProviderGateway,
} from "../support/fake_provider_upstreams.ts";

const OPENCODE_KEY = "sk-opencode-server-key-must-stay-home";
const CLIENT_KEY = "sk-client-key-not-for-providers";

function providersFile(origin: string): string {
  return `{
  // Four providers beside OpenCode; keys from the environment or literal.
  "providers": [
    {
      "name": "openrouter",
      "baseUrl": "${origin}/openrouter/api/v1",
      "format": "openai-chat",
      "apiKey": "env:OPENROUTER_API_KEY",
      "headers": { "HTTP-Referer": "https://gateway.example", "X-Title": "opencode-bridge tests" },
      "models": [
        { "id": "kimi", "upstreamId": "moonshotai/kimi-k2.6" },
        { "id": "tiny", "upstreamId": "vendor/tiny-model", "context": 3000, "output": 1200 },
      ],
    },
    {
      "name": "anthro",
      "baseUrl": "${origin}/anthropic/v1",
      "format": "anthropic",
      "apiKey": "${providerKeys.anthropic}",
      "models": [{ "id": "m2", "upstreamId": "vendor-m2", "context": 200000, "output": 32000 }],
    },
    {
      "name": "oai",
      "baseUrl": "${origin}/responses/v1",
      "format": "openai-responses",
      "apiKey": "env:RESPONSES_KEY",
      "models": [{ "id": "gpt-mini", "upstreamId": "gpt-5-mini", "image": true }],
    },
    {
      "name": "azure",
      "baseUrl": "${origin}/azure",
      "format": "openai-chat",
      "apiKey": "env:AZURE_OPENAI_API_KEY",
      "azure": { "apiVersion": "2024-10-21", "deployment": "gpt4o-prod" },
      "models": [{ "id": "gpt-4o", "context": 128000, "output": 16384 }],
    },
    {
      "name": "google",
      "baseUrl": "${origin}/gemini/v1beta",
      "format": "gemini",
      "apiKey": "${providerKeys.gemini}",
      "models": [{ "id": "flash", "upstreamId": "gemini-flash-latest", "context": 1000000, "output": 65536 }],
    },
  ],
}`;
}

function withProviders(fn: (setup: ProviderGateway) => Promise<void>, env: Record<string, string> = {}) {
  return withProviderGateway(providersFile, fn, {
    OPENCODE_API_KEY: OPENCODE_KEY,
    OPENROUTER_API_KEY: providerKeys.openrouter,
    RESPONSES_KEY: providerKeys.responses,
    AZURE_OPENAI_API_KEY: providerKeys.azure,
    ...env,
  });
}

const cases = [
  { model: "openrouter/kimi", service: "openrouter", url: /^\/openrouter\/api\/v1\/chat\/completions$/ },
  { model: "anthro/m2", service: "anthropic", url: /^\/anthropic\/v1\/messages$/ },
  { model: "oai/gpt-mini", service: "responses", url: /^\/responses\/v1\/responses$/ },
  {
    model: "azure/gpt-4o",
    service: "azure",
    url: /^\/azure\/openai\/deployments\/gpt4o-prod\/chat\/completions\?api-version=2024-10-21$/,
  },
  {
    model: "google/flash",
    service: "gemini",
    url: /^\/gemini\/v1beta\/models\/gemini-flash-latest:streamGenerateContent\?alt=sse$/,
  },
] as const;

/** Nothing OpenCode-only and no foreign key went to a provider; the right key went in the right header. */
function assertProviderCall(fake: FakeProviders, index: number, expected: (typeof cases)[number]): void {
  const call = fake.calls[index];
  assert.match(call.url, expected.url);
  const headers = [...call.headers.entries()].map(([name, value]) => `${name}: ${value}`).join("\n");
  assert(!headers.includes(OPENCODE_KEY), `the OpenCode key reached ${expected.service}:\n${headers}`);
  assert(!headers.includes(CLIENT_KEY), `the client's key reached ${expected.service}:\n${headers}`);
  assert.equal(call.headers.get("x-opencode-session"), null);
  assert.equal(call.headers.get("x-opencode-client"), null);
  const own = providerKeys[expected.service];
  assert(headers.includes(own), `${expected.service} did not get its key:\n${headers}`);
}

Deno.test("providers file: the Anthropic SDK reaches all five providers, streamed and not", async () => {
  await withProviders(async ({ url, fake }) => {
    const client = new Anthropic({ baseURL: url, apiKey: CLIENT_KEY, maxRetries: 0 });
    for (const expected of cases) {
      const before = fake.calls.length;
      const message = await client.messages.create({
        model: expected.model,
        max_tokens: 256,
        messages: [{ role: "user", content: "Say hello" }],
      });
      assert.equal(message.model, expected.model);
      assert.deepEqual(message.content.map((block) => block.type === "text" ? block.text : ""), [
        replyOf(expected.service),
      ]);
      assertProviderCall(fake, before, expected);
      const stream = client.messages.stream({
        model: expected.model,
        max_tokens: 256,
        messages: [{ role: "user", content: "Say hello" }],
      });
      let text = "";
      stream.on("text", (delta) => (text += delta));
      const final = await stream.finalMessage();
      assert.equal(text, replyOf(expected.service));
      assert.equal(final.stop_reason, "end_turn");
      assertProviderCall(fake, before + 1, expected);
    }
  });
});

Deno.test("providers file: the OpenAI SDK reaches all five providers (chat, streamed and not; responses)", async () => {
  await withProviders(async ({ url, fake }) => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    for (const expected of cases) {
      const before = fake.calls.length;
      const completion = await client.chat.completions.create({
        model: expected.model,
        messages: [{ role: "user", content: "Say hello" }],
      });
      assert.equal(completion.choices[0].message.content, replyOf(expected.service));
      assertProviderCall(fake, before, expected);
      const stream = await client.chat.completions.create({
        model: expected.model,
        stream: true,
        messages: [{ role: "user", content: "Say hello" }],
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      assert.equal(text, replyOf(expected.service));
      assertProviderCall(fake, before + 1, expected);
    }
    const before = fake.calls.length;
    const response = await client.responses.create({ model: "oai/gpt-mini", input: "Say hello" });
    assert.equal(response.output_text, replyOf("responses"));
    assertProviderCall(fake, before, cases[2]);
  });
});

Deno.test("providers file: per-provider headers are sent and never replace auth", async () => {
  await withProviders(async ({ url, fake }) => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    await client.chat.completions.create({
      model: "openrouter/kimi",
      messages: [{ role: "user", content: "hi" }],
    });
    const call = fake.calls.at(-1)!;
    assert.equal(call.headers.get("http-referer"), "https://gateway.example");
    assert.equal(call.headers.get("x-title"), "opencode-bridge tests");
    assert.equal(call.headers.get("authorization"), `Bearer ${providerKeys.openrouter}`);
    // Another provider's headers stay with their provider.
    await client.chat.completions.create({
      model: "azure/gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(fake.calls.at(-1)!.headers.get("x-title"), null);
  });
});

Deno.test("providers file: GET /v1/models lists the configured models with their provider", async () => {
  await withProviders(async ({ url }) => {
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const listed: OpenAI.Models.Model[] = [];
    for await (const model of openai.models.list()) listed.push(model);
    for (const expected of cases) {
      const found = listed.find((model) => model.id === expected.model);
      assert(found, `${expected.model} is not listed`);
      assert.equal(found.owned_by, expected.model.split("/")[0]);
    }
    assert(listed.some((model) => model.id === "kimi-k2.6" && model.owned_by === "opencode-go"));
    const anthropic = new Anthropic({ baseURL: url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const page = await anthropic.models.list({ limit: 1000 });
    const coder = page.data.find((model) => model.id === "azure/gpt-4o");
    assert.equal(coder?.display_name, "gpt-4o (azure)");
    const one = await anthropic.models.retrieve("anthro/m2");
    assert.equal(one.id, "anthro/m2");
  });
});

Deno.test("providers file: /<provider>/v1 routes force the provider; an unknown prefix is a 404", async () => {
  await withProviders(async ({ url, fake }) => {
    const client = new OpenAI({ baseURL: `${url}/openrouter/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: "kimi",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(completion.choices[0].message.content, replyOf("openrouter"));
    await assert.rejects(
      client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      (error) => error instanceof OpenAI.NotFoundError && /not served by openrouter/.test(error.message),
    );
    const listed: string[] = [];
    for await (const model of client.models.list()) listed.push(model.id);
    assert.deepEqual(listed, ["kimi", "tiny"]);
    const nowhere = await fetch(`${url}/nowhere/v1/models`);
    assert.equal(nowhere.status, 404);
    await nowhere.body?.cancel();
    assert(fake.calls.length === 1);
  });
});

Deno.test("providers file: max_tokens is clamped and an overflow is Claude Code's 'prompt is too long'", async () => {
  await withProviders(async ({ url, fake }) => {
    const client = new Anthropic({ baseURL: url, apiKey: CLIENT_KEY, maxRetries: 0 });
    await client.messages.create({
      model: "openrouter/tiny",
      max_tokens: 16000,
      messages: [{ role: "user", content: "hi" }],
    });
    const body = fake.calls.at(-1)!.body!;
    assert.equal(body.max_tokens ?? body.max_completion_tokens, 1200);
    await assert.rejects(
      client.messages.create({
        model: "openrouter/tiny",
        max_tokens: 1000,
        messages: [{ role: "user", content: "word ".repeat(4000) }],
      }),
      (error) =>
        error instanceof Anthropic.BadRequestError && /^prompt is too long: \d+ tokens > \d+ maximum/.test(
          (error.error as { error: { message: string } }).error.message,
        ),
    );
  });
});

Deno.test("providers file: images to a text-only provider model go to VISION_MODEL, itself a provider model", async () => {
  await withProviders(async ({ url, fake }) => {
    const client = new Anthropic({ baseURL: url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const pixel =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const response = await client.messages.create({
      model: "azure/gpt-4o",
      max_tokens: 256,
      messages: [{
        role: "user",
        content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: pixel } }, {
          type: "text",
          text: "What is this?",
        }],
      }],
    }).withResponse();
    assert.equal(response.response.headers.get("x-opencode-vision-reroute"), "gpt-4o -> gpt-5-mini");
    assert.match(fake.calls.at(-1)!.url, /^\/responses\/v1\/responses$/);
  }, { VISION_MODEL: "oai/gpt-mini" });
});

Deno.test("providers file: provider keys never appear in the log", async () => {
  await withProviders(async ({ url, lines }) => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    for (const expected of cases) {
      await client.chat.completions.create({
        model: expected.model,
        messages: [{ role: "user", content: "hi" }],
      });
    }
    const log = lines.join("\n");
    assert(log.includes('"service":"azure"'), "the request lines name the provider");
    for (const key of Object.values(providerKeys)) assert(!log.includes(key), `a key is in the log: ${key}`);
  }, { LOG_BODIES: "1" });
});

Deno.test("providers file: a client without a key reaches a provider with its own key; OpenCode still needs one", async () => {
  await withProviders(async ({ url, fake }) => {
    const post = (model: string) =>
      fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body: JSON.stringify({ model, max_tokens: 64, messages: [{ role: "user", content: "hi" }] }),
      });
    const provider = await post("anthro/m2");
    assert.equal(provider.status, 200, await provider.clone().text());
    assert.equal(
      ((await provider.json()) as { content: { text: string }[] }).content[0].text,
      replyOf("anthropic"),
    );
    assert.equal(fake.calls.at(-1)!.headers.get("x-api-key"), providerKeys.anthropic);
    const openCode = await post("kimi-k2.6");
    assert.equal(openCode.status, 401);
    assert.match(
      ((await openCode.json()) as { error: { message: string } }).error.message,
      /Missing API key/,
    );
  }, { OPENCODE_API_KEY: "" });
});

Deno.test("providers file: x-upstream-url never redirects a provider model (its key stays with its baseUrl)", async () => {
  await withProviders(async ({ url, fake }) => {
    const client = new OpenAI({
      baseURL: `${url}/v1`,
      apiKey: CLIENT_KEY,
      maxRetries: 0,
      defaultHeaders: { "x-upstream-url": "http://127.0.0.1:9/elsewhere" },
    });
    const completion = await client.chat.completions.create({
      model: "openrouter/kimi",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(completion.choices[0].message.content, replyOf("openrouter"));
    assert.match(fake.calls.at(-1)!.url, /^\/openrouter\/api\/v1\/chat\/completions$/);
  }, { UPSTREAM_URL_OVERRIDE_HOSTS: "127.0.0.1:9", UPSTREAM_URL_ALLOW_PRIVATE: "1" });
});

Deno.test("providers file: the status page's model table lists provider models, with their traffic", async () => {
  await withProviders(async ({ url }) => {
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    await client.chat.completions.create({
      model: "openrouter/kimi",
      messages: [{ role: "user", content: "hi" }],
    });
    const response = await fetch(`${url}/status.json`);
    assert.equal(response.status, 200);
    const status = await response.json() as {
      models: {
        id: string;
        service: string;
        inCatalog: boolean;
        context?: number;
        counters?: { requests: number };
      }[];
    };
    const kimi = status.models.find((row) =>
      row.service === "openrouter" && row.id === "moonshotai/kimi-k2.6"
    );
    assert.equal(kimi?.inCatalog, true);
    assert.equal(kimi?.counters?.requests, 1);
    const azure = status.models.find((row) => row.service === "azure" && row.id === "gpt-4o");
    assert.equal(azure?.context, 128000);
    assert.equal(azure?.counters, undefined);
  });
});
