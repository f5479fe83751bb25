// Upstream faults are never a 500 (which means a gateway bug): each is a 502/504/529 in the client's own
// format that names the service (OpenCode Go or Zen, and the host) and how it failed. Redirects are never
// followed, so a key never reaches the host a 3xx names. An upstream body that echoes the key never reaches
// the client or the log. Real sockets on loopback with the real `fetch`, except where only a fake can make
// the fault (a DNS failure without touching the network).
import * as assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import { parseConfig } from "../../lib/config.ts";
import { fetchSources } from "../../lib/catalog/fetch_catalog.ts";
import { checkModelList } from "../../lib/doctor/service_checks.ts";
import { describeConnectFailure } from "../../lib/upstream/upstream_fault.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { type FakeHandler, startFakeUpstream } from "../support/fake_upstream.ts";
import { testGateway } from "../support/log_tap.ts";
import { familyModels } from "../support/process_setup.ts";

const SERVER_KEY = "opaque-server-credential-5e1f0b7c9a";
const CLIENT_KEY = "sk-client-owned-key-3c8e21d94b7a";
const families = Object.keys(familyModels) as Family[];

const models = [
  { id: familyModels["openai-chat"], family: "openai-chat" as const },
  { id: familyModels.anthropic, family: "anthropic" as const },
  { id: familyModels["openai-responses"], family: "openai-responses" as const, service: "zen" as const },
  { id: familyModels.gemini, family: "gemini" as const, service: "zen" as const },
];

interface Setup {
  base: string;
  settings?: Record<string, string>;
  fetch?: typeof fetch;
}

function gateway({ base, settings = {}, fetch: fetchFn }: Setup) {
  const logs: string[] = [];
  const config = parseConfig({
    OPENCODE_API_KEY: SERVER_KEY,
    RETRIES: "0",
    CONNECT_TIMEOUT_MS: "2000",
    LOG_LEVEL: "debug",
    LOG_BODIES: "1",
    ...settings,
  });
  const handler = testGateway(config, {
    catalog: fakeCatalog(models, { go: `${base}/go`, zen: `${base}/zen` }),
    fetch: fetchFn,
    log: (line) => logs.push(line),
  });
  return { handler, logs };
}

function ask(
  handler: (request: Request) => Promise<Response>,
  family: Family,
  format: "anthropic" | "openai-chat" = "anthropic",
  stream = false,
  headers: Record<string, string> = {},
): Promise<Response> {
  const model = familyModels[family];
  const path = format === "anthropic" ? "/v1/messages" : "/v1/chat/completions";
  const body = format === "anthropic"
    ? { model, max_tokens: 32, stream, messages: [{ role: "user", content: "Hi" }] }
    : { model, stream, messages: [{ role: "user", content: "Hi" }] };
  return handler(
    new Request(`http://gateway${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

/** The error message in either envelope, after checking the envelope is the client's. */
async function errorMessage(response: Response, format: "anthropic" | "openai-chat"): Promise<string> {
  const json = await response.json();
  if (format === "anthropic") {
    assert.equal(json.type, "error");
    return json.error.message;
  }
  assert.equal(typeof json.error.type, "string");
  return json.error.message;
}

function serve(handler: FakeHandler) {
  return startFakeUpstream(handler);
}

Deno.test("a 3xx from any family's upstream is a 502 naming the status; the key never reaches the target", async (t) => {
  const target = serve(() => new Response("stolen"));
  const upstream = serve(() =>
    new Response(null, { status: 302, headers: { location: `${target.url}/collect?from=gateway` } })
  );
  try {
    const { handler, logs } = gateway({ base: upstream.url });
    for (const family of families) {
      for (const format of ["anthropic", "openai-chat"] as const) {
        await t.step(`${family} upstream, ${format} client`, async () => {
          const response = await ask(handler, family, format, false, { "x-api-key": CLIENT_KEY });
          assert.equal(response.status, 502);
          const message = await errorMessage(response, format);
          assert.match(message, /redirect \(HTTP 302 to 127\.0\.0\.1:\d+\)/);
          assert.match(
            message,
            family === "openai-responses" || family === "gemini" ? /OpenCode Zen/ : /OpenCode Go/,
          );
        });
      }
    }
    assert.equal(target.requests.length, 0, "the redirect target received a request");
    assert.ok(upstream.requests.length >= families.length * 2);
    assert.ok(!logs.join("\n").includes(SERVER_KEY));
  } finally {
    await upstream.close();
    await target.close();
  }
});

Deno.test("the catalog's live lists do not follow a redirect with the server's key", async () => {
  const target = serve(() => Response.json({ data: [{ id: "stolen" }] }));
  const upstream = serve(() =>
    new Response(null, { status: 307, headers: { location: `${target.url}/models` } })
  );
  try {
    const config = parseConfig({
      OPENCODE_API_KEY: SERVER_KEY,
      OPENCODE_GO_URL: `${upstream.url}/go`,
      OPENCODE_ZEN_URL: `${upstream.url}/zen`,
      MODELS_DEV_URL: `${upstream.url}/models-dev`,
    });
    const sources = await fetchSources(config, fetch);
    assert.deepEqual(sources.live, {});
    assert.ok(
      sources.errors.some((line) => /redirect \(HTTP 307\) not followed/.test(line)),
      sources.errors.join(),
    );
    assert.equal(target.requests.length, 0);
  } finally {
    await upstream.close();
    await target.close();
  }
});

Deno.test("the doctor's key probe does not follow a redirect", async () => {
  const target = serve(() => Response.json({ data: [{ id: "stolen" }] }));
  const upstream = serve(() =>
    new Response(null, { status: 302, headers: { location: `${target.url}/models` } })
  );
  try {
    const config = parseConfig({ OPENCODE_GO_URL: `${upstream.url}/go` });
    const result = await checkModelList(config, fetch, "go", SERVER_KEY);
    assert.equal(result.status, "fail");
    assert.match(result.detail, /redirect \(HTTP 302\) not followed/);
    assert.equal(target.requests.length, 0);
  } finally {
    await upstream.close();
    await target.close();
  }
});

Deno.test("connection faults are 502s that name the service, host and cause", async (t) => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const plain = serve(() => new Response("not tls"));
  await t.step("refused", async () => {
    const { handler } = gateway({ base: `http://127.0.0.1:${closedPort}` });
    const response = await ask(handler, "openai-chat");
    assert.equal(response.status, 502);
    assert.equal(
      await errorMessage(response, "anthropic"),
      `OpenCode Go (127.0.0.1:${closedPort}) could not be reached: the connection was refused`,
    );
  });
  await t.step("TLS", async () => {
    const { handler } = gateway({ base: plain.url.replace("http:", "https:") });
    const response = await ask(handler, "gemini", "openai-chat");
    assert.equal(response.status, 502);
    assert.match(
      await errorMessage(response, "openai-chat"),
      /OpenCode Zen \(127\.0\.0\.1:\d+\) .*TLS handshake failed/,
    );
  });
  await t.step("DNS (Deno's own error, thrown by a fake fetch: tests stay off the network)", async () => {
    const dnsFailure: typeof fetch = () =>
      Promise.reject(
        new TypeError("fetch failed", {
          cause: new Error(
            "error sending request for url (http://nowhere.invalid/go/chat/completions): client error (Connect): " +
              "dns error: failed to lookup address information: Name or service not known",
          ),
        }),
      );
    const { handler } = gateway({ base: "http://nowhere.invalid", fetch: dnsFailure });
    const response = await ask(handler, "openai-chat");
    assert.equal(response.status, 502);
    assert.equal(
      await errorMessage(response, "anthropic"),
      "OpenCode Go (nowhere.invalid) could not be reached: its host name could not be resolved (DNS)",
    );
  });
  await t.step("timeout (no headers within CONNECT_TIMEOUT_MS) is a 504", async () => {
    const silent = serve((_, signal) =>
      new Promise((resolve) => signal.addEventListener("abort", () => resolve(new Response(null))))
    );
    try {
      const { handler } = gateway({ base: silent.url, settings: { CONNECT_TIMEOUT_MS: "300" } });
      const response = await ask(handler, "anthropic");
      assert.equal(response.status, 504);
      assert.match(
        await errorMessage(response, "anthropic"),
        /OpenCode Go \(127\.0\.0\.1:\d+\) did not answer within 300 ms/,
      );
    } finally {
      await silent.close();
    }
  });
  await plain.close();
  assert.equal(describeConnectFailure(new Error("connection reset by peer")), "the connection was reset");
});

Deno.test("bad upstream answers: 500, HTML, empty stream and overload keep their meaning, never a 500", async (t) => {
  let answer: () => Response = () => new Response("");
  const upstream = serve(() => answer());
  const { handler } = gateway({ base: upstream.url });
  try {
    await t.step("upstream 500 → 502 naming the service", async () => {
      answer = () => Response.json({ error: { message: "boom" } }, { status: 500 });
      const response = await ask(handler, "openai-chat", "openai-chat");
      assert.equal(response.status, 502);
      assert.match(
        await errorMessage(response, "openai-chat"),
        /^OpenCode Go \(127\.0\.0\.1:\d+\) failed with HTTP 500: boom$/,
      );
    });
    await t.step("200 with an HTML page → 502", async () => {
      answer = () =>
        new Response("<html><body>Sign in</body></html>", { headers: { "content-type": "text/html" } });
      for (const family of families) {
        const response = await ask(handler, family);
        assert.equal(response.status, 502, family);
        assert.match(
          await errorMessage(response, "anthropic"),
          /answered 200 with text\/html instead of an API answer/,
        );
      }
    });
    await t.step(
      "an empty stream → 502 for a non-stream client, an error event for a streaming one",
      async () => {
        answer = () => new Response("", { headers: { "content-type": "text/event-stream" } });
        for (const family of families) {
          const collected = await ask(handler, family);
          assert.equal(collected.status, 502, family);
          await collected.body?.cancel();
          const streamed = await ask(handler, family, "anthropic", true);
          assert.equal(streamed.status, 200);
          assert.match(
            await streamed.text(),
            /event: error\ndata: \{"type":"error","error":\{"type":"api_error"/,
          );
        }
      },
    );
    await t.step("overload 529 and 503 stay overload (529) and say who", async () => {
      for (const status of [529, 503]) {
        answer = () => Response.json({ error: { message: "busy" } }, { status });
        const response = await ask(handler, "anthropic");
        assert.equal(response.status, 529);
        assert.match(
          await errorMessage(response, "anthropic"),
          new RegExp(`OpenCode Go .* is overloaded \\(HTTP ${status}\\)`),
        );
      }
    });
  } finally {
    await upstream.close();
  }
});

Deno.test("a rejected key names the service and where to get a key; an echoed key never reaches client or log", async (t) => {
  const echo = (status: number): FakeHandler => (request) =>
    Response.json({
      type: "error",
      error: {
        type: status === 401 ? "AuthError" : "error",
        message:
          `Invalid key: ${request.headers.get("authorization") ?? ""} ${
            request.headers.get("x-api-key") ?? ""
          } ` +
          `${request.headers.get("x-goog-api-key") ?? ""}`,
      },
    }, { status });
  for (const status of [401, 400, 500]) {
    await t.step(`HTTP ${status}, every family, server key and client key`, async () => {
      const upstream = serve(echo(status));
      try {
        for (const settings of [{}, { OPENCODE_API_KEY: "" }] as Record<string, string>[]) {
          const { handler, logs } = gateway({ base: upstream.url, settings });
          for (const family of families) {
            const response = await ask(handler, family, "anthropic", false, { "x-api-key": CLIENT_KEY });
            const text = await response.text();
            assert.ok(response.status !== 500, text);
            for (const key of [SERVER_KEY, CLIENT_KEY]) {
              assert.ok(!text.includes(key), `${family}: the client saw the key: ${text}`);
              assert.ok(!logs.join("\n").includes(key), `${family}: the log holds the key`);
            }
            if (status === 401) {
              assert.equal(response.status, 401);
              const service = family === "openai-responses" || family === "gemini" ? "Zen" : "Go";
              assert.match(
                text,
                new RegExp(`OpenCode ${service} \\(127\\.0\\.0\\.1:\\d+\\) rejected the API key`),
              );
              assert.match(text, /https:\/\/opencode\.ai\/auth/);
            }
          }
        }
        assert.ok(upstream.requests.length > 0);
      } finally {
        await upstream.close();
      }
    });
  }
});
