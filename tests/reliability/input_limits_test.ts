// Client input past the gateway's bounds is a 400 in the client's own format before any work: JSON nested
// deeper than JSON_MAX_DEPTH (body and tool-call argument strings, on every route), model names that are too
// long or hold control characters (never echoed whole), broken percent-encoding, and the doubled `/v1/v1`
// prefix of a base URL given with `/v1` is served like the single one.
import * as assert from "node:assert/strict";
import { createCatalog } from "../../lib/catalog/catalog.ts";
import { editDistance, findCloseMatches } from "../../lib/catalog/close_matches.ts";
import { parseConfig } from "../../lib/config.ts";
import { testGateway } from "../support/log_tap.ts";
import { fakeFetch, familyOfUrl, scriptedAnswer, TEST_SETTINGS } from "../support/reliability_harness.ts";

const offlineCatalog: typeof fetch = () => Promise.reject(new TypeError("offline"));

/** A gateway over the real resolver (bundled snapshot) and a scripted upstream; `logs` are its lines. */
function gateway(settings: Record<string, string> = {}) {
  const config = parseConfig({ ...TEST_SETTINGS, ...settings });
  const catalog = createCatalog(config, { fetch: offlineCatalog, log: () => {} });
  const { fetch, calls } = fakeFetch((call) => scriptedAnswer(familyOfUrl(call.url)));
  const logs: string[] = [];
  const handler = testGateway(config, { catalog, fetch, log: (line) => logs.push(line) });
  return { handler, calls, logs, catalog };
}

type Route = "messages" | "count_tokens" | "chat" | "responses";
const paths: Record<Route, string> = {
  messages: "/v1/messages",
  count_tokens: "/v1/messages/count_tokens",
  chat: "/v1/chat/completions",
  responses: "/v1/responses",
};
const routes = Object.keys(paths) as Route[];

function post(path: string, body: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://gateway.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-client-input-test", ...headers },
    body,
  });
}

const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const deepArray = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

/** A realistic body for the route with `deep` (JSON text) where the finding put it. */
function bodyWith(route: Route, place: "schema" | "content" | "extra", deep: string, model?: string): string {
  const marker = '"__DEEP__"';
  let body: Record<string, unknown>;
  if (route === "chat") {
    body = {
      model: model ?? "kimi-k2.6",
      messages: [{ role: "user", content: place === "content" ? ["__DEEP__"] : "Hi" }],
      tools: [{
        type: "function",
        function: { name: "t", parameters: place === "schema" ? "__DEEP__" : {} },
      }],
    };
  } else if (route === "responses") {
    body = {
      model: model ?? "gpt-5.5",
      input: place === "content" ? [{ role: "user", content: ["__DEEP__"] }] : "Hi",
      tools: [{ type: "function", name: "t", parameters: place === "schema" ? "__DEEP__" : {} }],
    };
  } else {
    body = {
      model: model ?? "kimi-k2.6",
      max_tokens: 100,
      messages: [{
        role: "user",
        content: place === "content"
          ? [{ type: "tool_result", tool_use_id: "t1", content: "__DEEP__" }]
          : "Hi",
      }],
      tools: [{ name: "t", input_schema: place === "schema" ? "__DEEP__" : { type: "object" } }],
    };
  }
  if (place === "extra") body.x_extra = "__DEEP__";
  return JSON.stringify(body).replace(marker, deep);
}

/** The message of an error body in either client format, after checking the format is the route's. */
function errorMessage(route: Route | "models", json: Record<string, unknown>): string {
  if (route === "chat" || route === "responses") {
    const error = json.error as { message: string; type: string };
    assert.equal(error.type, "invalid_request_error");
    return error.message;
  }
  assert.equal(json.type, "error");
  const error = json.error as { message: string; type: string };
  assert.equal(error.type, "invalid_request_error");
  return error.message;
}

// Found: a 100,000-level tool schema took 5.1 s of CPU (a 1,000,000-level array 1.2 s on the pass-through).
Deno.test("JSON nested past JSON_MAX_DEPTH is a 400 in the client's format on every route, before any upstream call", async (t) => {
  const { handler, calls, catalog } = gateway();
  for (const route of routes) {
    for (const place of ["schema", "content", "extra"] as const) {
      for (const [name, deep] of [["object", deepObject(200)], ["array", deepArray(200)]] as const) {
        await t.step(`${route} ${place} ${name}`, async () => {
          const response = await handler(post(paths[route], bodyWith(route, place, deep)));
          assert.equal(response.status, 400);
          assert.match(
            errorMessage(route, await response.json()),
            /nests deeper than 128 levels.*JSON_MAX_DEPTH/,
          );
        });
      }
    }
  }
  assert.equal(calls.length, 0);
  await catalog.settled();
});

Deno.test("ordinary nesting passes the depth bound, and JSON_MAX_DEPTH moves it", async () => {
  const { handler, catalog } = gateway();
  const fine = await handler(post(paths.messages, bodyWith("messages", "schema", deepObject(40))));
  assert.equal(fine.status, 200);
  await fine.body?.cancel();
  const strict = gateway({ JSON_MAX_DEPTH: "30" });
  const refused = await strict.handler(post(paths.messages, bodyWith("messages", "schema", deepObject(40))));
  assert.equal(refused.status, 400);
  assert.match((await refused.json()).error.message, /deeper than 30 levels/);
  await catalog.settled();
  await strict.catalog.settled();
});

// The body scan cannot see JSON inside a string: tool-call arguments are parsed later, and were unbounded.
Deno.test("tool-call arguments nested past the bound are a 400 on the Chat and Responses routes", async () => {
  const { handler, calls, catalog } = gateway();
  const args = deepArray(1_000);
  const chat = await handler(post(
    paths.chat,
    JSON.stringify({
      model: "minimax-m2.7",
      messages: [
        { role: "user", content: "Hi" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "t", arguments: args } }],
        },
        { role: "tool", tool_call_id: "c1", content: "ok" },
      ],
    }),
  ));
  assert.equal(chat.status, 400);
  assert.match((await chat.json()).error.message, /^Tool-call arguments nests deeper than 128/);
  const responses = await handler(post(
    paths.responses,
    JSON.stringify({
      model: "kimi-k2.6",
      input: [
        { role: "user", content: "Hi" },
        { type: "function_call", call_id: "c1", name: "t", arguments: args },
        { type: "function_call_output", call_id: "c1", output: "ok" },
      ],
    }),
  ));
  assert.equal(responses.status, 400);
  assert.match((await responses.json()).error.message, /^Tool-call arguments nests deeper than 128/);
  assert.equal(calls.length, 0);
  await catalog.settled();
});

// Found: a 30 MB model name cost 12.3 s of edit distance, a 30 MB 404 body and a 31 MB log line.
Deno.test("a huge model name is a small 400 on every route and in the path, and a small log line", async (t) => {
  const { handler, calls, logs, catalog } = gateway();
  const huge = `kimi-${"x".repeat(3_000_000)}`;
  const requests: [Route | "models" | "path", Request][] = [
    ...routes.map((
      route,
    ): [Route, Request] => [route, post(paths[route], bodyWith(route, "extra", "1", huge))]),
    [
      "models",
      new Request(`http://gateway.test/v1/models/${huge}`, { headers: { "anthropic-version": "1" } }),
    ],
    ["path", post(`/go/${huge}/v1/messages`, bodyWith("messages", "extra", "1"))],
  ];
  for (const [route, request] of requests) {
    await t.step(route, async () => {
      const response = await handler(request);
      assert.equal(response.status, 400);
      const text = await response.text();
      assert.ok(text.length < 1_000, `${text.length} bytes`);
      const message = errorMessage(route === "path" ? "messages" : route, JSON.parse(text));
      assert.match(message, /model name is 3000005 characters, longer than .* 256 \(MODEL_NAME_MAX_LENGTH\)/);
      assert.match(message, /"kimi-x{59}"…/);
    });
  }
  assert.equal(calls.length, 0);
  for (const line of logs) assert.ok(line.length < 2_000, `log line of ${line.length} characters`);
  await catalog.settled();
});

Deno.test("model names with control or invisible characters are a 400 that shows them escaped", async () => {
  const { handler, catalog } = gateway();
  for (const name of ["kimi-k2.6\n", "kimi\u0000k2.6", "kimi-k2.6\u202e", "kimi\u200bk2.6", "kimi\u2028"]) {
    const response = await handler(post(paths.messages, bodyWith("messages", "extra", "1", name)));
    assert.equal(response.status, 400, JSON.stringify(name));
    const message = (await response.json()).error.message as string;
    assert.match(message, /control or invisible characters/);
    assert.ok(message.includes(JSON.stringify(name)), message);
  }
  await catalog.settled();
});

Deno.test("an unknown model of the allowed length is a 404 whose message quotes at most a short prefix", async () => {
  const { handler, catalog } = gateway();
  const name = `kimi-${"y".repeat(250)}`;
  const response = await handler(post(paths.messages, bodyWith("messages", "extra", "1", name)));
  assert.equal(response.status, 404);
  const message = (await response.json()).error.message as string;
  assert.ok(!message.includes(name) && message.includes(`${name.slice(0, 64)}…`), message);
  await catalog.settled();
});

Deno.test("close matches are bounded: long names get none, and the work per candidate is capped", () => {
  assert.deepEqual(findCloseMatches("kimi-k2.66", ["kimi-k2.6", "glm-5.1"]), ["kimi-k2.6"]);
  const started = performance.now();
  assert.deepEqual(findCloseMatches("x".repeat(1_000_000), ["kimi-k2.6", "x".repeat(100)]), []);
  // 100,000 candidates are not all scored: only the first 2,000 are looked at.
  const many = Array.from({ length: 100_000 }, (_, index) => `model-${index}`);
  const found = findCloseMatches("model-99999", many);
  assert.ok(found.length > 0 && found.every((id) => Number(id.slice(6)) < 2_000), found.join());
  assert.deepEqual(findCloseMatches("model-1999", many).slice(0, 1), ["model-1999"]);
  // Generous: the old code took seconds here; a loaded machine still finishes in milliseconds.
  assert.ok(performance.now() - started < 5_000);
  assert.equal(editDistance("kitten", "sitting"), 3);
});

// Found: `GET /v1/models/%ZZ` answered 500 "Internal gateway error".
Deno.test("broken percent-encoding in a model id is a 400 in the client's format, never a 500", async () => {
  const { handler, catalog } = gateway();
  for (const segment of ["%ZZ", "%E0%A4%A", "kimi%", "%"]) {
    for (
      const [path, anthropic] of [
        [`/v1/models/${segment}`, true],
        [`/v1/models/${segment}`, false],
        [`/zen/v1/models/${segment}`, true],
        [`/v1/v1/models/${segment}`, false],
      ] as const
    ) {
      const response = await handler(
        new Request(`http://gateway.test${path}`, { headers: anthropic ? { "anthropic-version": "1" } : {} }),
      );
      assert.equal(response.status, 400, path);
      const json = await response.json();
      assert.match(errorMessage(anthropic ? "models" : "chat", json), /Malformed percent-encoding/);
    }
    const inPath = await handler(post(`/go/${segment}/v1/messages`, bodyWith("messages", "extra", "1")));
    assert.equal(inPath.status, 400);
    await inPath.body?.cancel();
  }
  await catalog.settled();
});

// Found: ANTHROPIC_BASE_URL=…/v1 made Claude Code ask for /v1/v1/messages, a 404 it shows as a model problem.
Deno.test("the doubled /v1/v1 prefix is served on every route and route prefix", async (t) => {
  const { handler, catalog } = gateway();
  for (const prefix of ["", "/go", "/go/kimi-k2.6"]) {
    for (const route of routes) {
      await t.step(`${prefix}/v1${paths[route]}`, async () => {
        const model = route === "responses" ? "kimi-k2.6" : undefined;
        const body = JSON.stringify({ ...JSON.parse(bodyWith(route, "extra", "1", model)), stream: true });
        const response = await handler(post(`${prefix}/v1${paths[route]}`, body));
        assert.equal(response.status, 200, await response.clone().text());
        await response.body?.cancel();
      });
    }
  }
  for (const path of ["/v1/v1/models", "/v1/v1/models/kimi-k2.6", "/zen/v1/v1/models", "/v1/api/hello"]) {
    const response = await handler(new Request(`http://gateway.test${path}`));
    assert.equal(response.status, 200, path);
    await response.body?.cancel();
  }
  const head = await handler(new Request("http://gateway.test/v1/api/hello", { method: "HEAD" }));
  assert.equal(head.status, 200);
  await catalog.settled();
});

Deno.test("a route prefix with a model and no endpoint is a 404, while /, /go, /zen and /api/hello stay the health route", async () => {
  const { handler, calls, catalog } = gateway();
  for (const path of ["/go/anything", "/zen/kimi-k2.6", "/go/kimi-k2.6/", "/go/v1"]) {
    for (const method of ["GET", "POST"]) {
      const response = await handler(new Request(`http://gateway.test${path}`, { method }));
      assert.equal(response.status, 404, `${method} ${path}`);
      const body = await response.json();
      assert.equal(body.type, "error");
      assert.equal(body.error.type, "not_found_error");
      assert.equal(body.error.message, `Not found: ${method} "${path}"`);
    }
  }
  for (const path of ["/", "/go", "/zen/", "/api/hello", "/go/api/hello", "/go/kimi-k2.6/api/hello"]) {
    const response = await handler(new Request(`http://gateway.test${path}`));
    assert.equal(response.status, 200, path);
    assert.equal((await response.json()).ok, true);
  }
  assert.equal(calls.length, 0);
  await catalog.settled();
});

Deno.test("a huge client string quoted in a 400 (a document's source type) is cut to a short prefix", async () => {
  const { handler, calls, catalog } = gateway();
  const kind = `kind-${"z".repeat(1_000_000)}`;
  for (const model of ["gpt-5.5", "gemini-3-flash"]) {
    const body = JSON.stringify({
      model,
      max_tokens: 100,
      messages: [{ role: "user", content: [{ type: "document", source: { type: kind, data: "x" } }] }],
    });
    const response = await handler(post(paths.messages, body));
    assert.equal(response.status, 400, model);
    const text = await response.text();
    assert.ok(text.length < 1_000, `${model}: ${text.length} bytes`);
    assert.match(
      JSON.parse(text).error.message,
      /source "kind-z{59}"… \(1000005 characters\) is not supported/,
    );
  }
  assert.equal(calls.length, 0);
  await catalog.settled();
});
