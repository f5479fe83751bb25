import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";
import { parseConfigFile } from "../../lib/providers/parse_config_file.ts";

/** Writes `text` as a CONFIG_FILE and loads it; returns the config or the ConfigError message. */
async function load(text: string, env: Record<string, string> = {}) {
  const file = await Deno.makeTempFile({ suffix: ".jsonc" });
  try {
    await Deno.writeTextFile(file, text);
    return await loadConfig({ CONFIG_FILE: file, ...env });
  } finally {
    await Deno.remove(file);
  }
}

async function loadError(text: string, env: Record<string, string> = {}): Promise<string> {
  try {
    await load(text, env);
  } catch (error) {
    assert(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error.message;
  }
  assert.fail("the file was accepted");
}

const good = `{
  // The issue's example, with comments and trailing commas.
  "PORT": 9100,
  "MODEL_HAIKU": "glm-5.1",
  "providers": [
    {
      "name": "local",                         // route prefix /local/…
      "baseUrl": "http://127.0.0.1:11434/v1",
      "format": "openai-chat",
      "apiKey": "env:OLLAMA_KEY",
      "headers": { "X-Title": "my-gateway" },
      "discover": true,
      "models": [
        { "id": "coder", "upstreamId": "qwen3-coder:30b", "context": 65536, "output": 8192,
          "image": false, "pdf": false, "reasoning": true, "reasoningField": "reasoning_content", },
      ],
    },
  ],
}
`;

Deno.test("loadConfig reads a JSONC file: comments, trailing commas, flat settings and providers", async () => {
  const config = await load(good, { OLLAMA_KEY: "ollama-secret" });
  assert.equal(config.PORT, 9100);
  assert.equal(config.MODEL_HAIKU, "glm-5.1");
  assert.equal(config.providers.length, 1);
  const [local] = config.providers;
  assert.equal(local.name, "local");
  assert.equal(local.apiKey, "ollama-secret");
  assert.deepEqual(local.headers, { "X-Title": "my-gateway" });
  assert.equal(local.discover, true);
  assert.deepEqual(local.models[0], {
    id: "coder",
    upstreamId: "qwen3-coder:30b",
    context: 65536,
    output: 8192,
    image: false,
    pdf: false,
    reasoning: true,
    reasoningField: "reasoning_content",
  });
});

Deno.test("loadConfig keeps a flat settings file without providers working, env over file", async () => {
  const config = await load(`{ "PORT": 9200, "LOG_LEVEL": "warn" }`, { PORT: "9300" });
  assert.equal(config.PORT, 9300);
  assert.equal(config.LOG_LEVEL, "warn");
  assert.deepEqual(config.providers, []);
});

/** Every kind of bad file: the error names the line, the provider and the field. */
const badFiles: { name: string; text: string; env?: Record<string, string>; expected: RegExp }[] = [
  {
    name: "a syntax error",
    text: `{\n  "providers": [\n    { "name": "a" "baseUrl": "x" }\n  ]\n}`,
    expected: /line 3: not valid JSON\/JSONC \(CommaExpected\)/,
  },
  {
    name: "a provider named go",
    text: `{\n  "providers": [\n    {\n      "name": "go",\n      "baseUrl": "http://127.0.0.1:1/v1",\n` +
      `      "format": "openai-chat",\n      "models": [{ "id": "m" }]\n    }\n  ]\n}`,
    expected: /line 4: providers\[0\] "go": name: is reserved/,
  },
  {
    name: "a provider named zen",
    text: `{ "providers": [\n{ "name": "zen", "baseUrl": "http://127.0.0.1:1/v1", "format": "openai-chat",` +
      ` "models": [{ "id": "m" }] }\n] }`,
    expected: /line 2: providers\[0\] "zen": name: is reserved/,
  },
  {
    name: "two providers with one name",
    text: `{ "providers": [\n` +
      `  { "name": "dup", "baseUrl": "http://127.0.0.1:1/v1", "format": "openai-chat", "models": [{ "id": "a" }] },\n` +
      `  { "name": "dup", "baseUrl": "http://127.0.0.1:2/v1", "format": "anthropic", "models": [{ "id": "b" }] }\n` +
      `] }`,
    expected: /line 3: providers\[1\] "dup": name: "dup" is already the name of providers\[0\]/,
  },
  {
    name: "an unknown format",
    text:
      `{ "providers": [{\n  "name": "x",\n  "baseUrl": "http://127.0.0.1:1/v1",\n  "format": "ollama",\n` +
      `  "models": [{ "id": "m" }]\n}] }`,
    expected: /line 4: providers\[0\] "x": format: .*openai-chat/,
  },
  {
    name: "a baseUrl that is not a URL",
    text: `{ "providers": [{\n  "name": "x",\n  "baseUrl": "localhost:11434",\n  "format": "openai-chat",\n` +
      `  "models": [{ "id": "m" }]\n}] }`,
    expected: /line 3: providers\[0\] "x": baseUrl: expected an http\(s\) URL/,
  },
  {
    name: "a missing required field",
    text:
      `{ "providers": [\n  {\n    "name": "nourl",\n    "format": "openai-chat",\n    "models": [{ "id": "m" }]\n  }\n] }`,
    expected: /line 2: providers\[0\] "nourl": baseUrl: is required/,
  },
  {
    name: "a misspelt field",
    text:
      `{ "providers": [{\n  "name": "x",\n  "baseUrl": "http://127.0.0.1:1/v1",\n  "format": "openai-chat",\n` +
      `  "models": [\n    { "id": "m",\n      "contxt": 4096 }\n  ]\n}] }`,
    expected: /line 7: providers\[0\] "x": models\[0\]\.contxt: unknown field \("contxt"\)/,
  },
  {
    name: "a bad model limit",
    text:
      `{ "providers": [{\n  "name": "x",\n  "baseUrl": "http://127.0.0.1:1/v1",\n  "format": "openai-chat",\n` +
      `  "models": [{ "id": "m",\n    "context": -5 }]\n}] }`,
    expected: /line 6: providers\[0\] "x": models\[0\]\.context: expected a positive number/,
  },
  {
    name: "a model listed twice",
    text:
      `{ "providers": [{\n  "name": "x",\n  "baseUrl": "http://127.0.0.1:1/v1",\n  "format": "openai-chat",\n` +
      `  "models": [\n    { "id": "m" },\n    { "id": "M" }\n  ]\n}] }`,
    expected: /line 7: providers\[0\] "x": models\[1\]\.id: "M" is listed twice/,
  },
  {
    name: "a header that would override auth",
    text:
      `{ "providers": [{\n  "name": "x",\n  "baseUrl": "http://127.0.0.1:1/v1",\n  "format": "openai-chat",\n` +
      `  "headers": {\n    "Authorization": "Bearer other"\n  },\n  "models": [{ "id": "m" }]\n}] }`,
    expected: /line 6: providers\[0\] "x": headers\.Authorization: "Authorization" cannot be set here/,
  },
  {
    name: "an apiKey naming an unset variable",
    text:
      `{ "providers": [{\n  "name": "x",\n  "baseUrl": "http://127.0.0.1:1/v1",\n  "format": "openai-chat",\n` +
      `  "apiKey": "env:NOT_SET_ANYWHERE",\n  "models": [{ "id": "m" }]\n}] }`,
    expected: /line 5: providers\[0\] "x": apiKey: environment variable NOT_SET_ANYWHERE is not set/,
  },
  {
    name: "a provider with no models and discover off",
    text:
      `{ "providers": [{\n  "name": "empty",\n  "baseUrl": "http://127.0.0.1:1/v1",\n  "format": "openai-chat"\n}] }`,
    expected: /line 1: providers\[0\] "empty": models: lists no models and discover is off/,
  },
  {
    name: "azure on an anthropic-format provider",
    text:
      `{ "providers": [{\n  "name": "az",\n  "baseUrl": "https://r.openai.azure.com",\n  "format": "anthropic",\n` +
      `  "azure": { "apiVersion": "2024-10-21" },\n  "models": [{ "id": "m" }]\n}] }`,
    expected:
      /line 5: providers\[0\] "az": azure: Azure serves openai-chat and openai-responses, not anthropic/,
  },
  {
    name: "providers that is not an array",
    text: `{\n  "providers": { "name": "x" }\n}`,
    expected: /line 2: providers: /,
  },
];

for (const bad of badFiles) {
  Deno.test(`loadConfig refuses ${bad.name}, naming line, provider and field`, async () => {
    const message = await loadError(bad.text, bad.env);
    assert.match(message, /^Invalid configuration:\n {2}CONFIG_FILE \S+ /);
    assert.match(message, bad.expected);
  });
}

Deno.test("CUSTOM_HEADER_<NAME> becomes a header; an auth header name is refused", async () => {
  const config = await load(`{ "CUSTOM_HEADER_X_TITLE": "from-file" }`, {
    CUSTOM_HEADER_HTTP_REFERER: "https://a.example",
  });
  assert.deepEqual(config.customHeaders, { "x-title": "from-file", "http-referer": "https://a.example" });
  const message = await loadError(`{}`, { CUSTOM_HEADER_AUTHORIZATION: "Bearer x" });
  assert.match(message, /customHeaders\.authorization: "authorization" cannot be set here/);
});

Deno.test("parseConfigFile answers an empty file and a non-object with line 1", () => {
  const empty = parseConfigFile("", {});
  assert(!empty.ok);
  const array = parseConfigFile("[1]", {});
  assert(!array.ok && /line 1: the file must hold a JSON object/.test(array.errors[0]));
});
