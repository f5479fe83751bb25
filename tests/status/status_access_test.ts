/**
 * Who sees the status page, /status.json and /metrics: open on loopback; elsewhere a gateway key by login
 * cookie (HttpOnly, SameSite=Strict, never the key itself), Basic auth or the API's key headers; locked for
 * good when a non-loopback gateway has no GATEWAY_KEYS. /health stays open.
 */
import assert from "node:assert/strict";
import { RequestStats } from "../../lib/status/request_stats.ts";
import { startFakeGo } from "../support/fake_status_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { statusCatalog } from "../support/status_catalog.ts";

const GATEWAY_KEY = "gw-key-status-page";

async function withGateway(
  settings: Record<string, string>,
  run: (handle: (request: Request) => Promise<Response>) => Promise<void>,
  deployed = false,
) {
  const go = startFakeGo();
  try {
    const config = testConfig({ OPENCODE_GO_URL: go.url, OPENCODE_ZEN_URL: go.url, ...settings });
    const catalog = statusCatalog([{ id: "kimi-k2.6", family: "openai-chat" }], { go: go.url });
    await run(testGateway(config, { catalog, stats: new RequestStats(), deployed }));
  } finally {
    await go.close();
  }
}

const remote = { HOSTNAME: "0.0.0.0", GATEWAY_KEYS: GATEWAY_KEY, OPENCODE_API_KEY: "sk-status-upstream" };
const html = { accept: "text/html" };

Deno.test("status access: a non-loopback gateway asks a browser to sign in, then lets the cookie in", async () => {
  await withGateway(remote, async (handle) => {
    const locked = await handle(new Request("http://gw.example/", { headers: html }));
    assert.equal(locked.status, 401);
    const form = await locked.text();
    assert.match(form, /<form class="login" method="post" action="\/login">/);
    assert.ok(!form.includes("kimi-k2.6"), "no status data before sign-in");

    const wrong = await handle(
      new Request("http://gw.example/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ key: "gw-key-wrong" }),
      }),
    );
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /not one of this gateway&#39;s keys/);

    const signIn = await handle(
      new Request("https://gw.example/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ key: GATEWAY_KEY }),
      }),
    );
    assert.equal(signIn.status, 303);
    assert.equal(signIn.headers.get("location"), "/");
    const cookie = signIn.headers.get("set-cookie")!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Secure/);
    assert.ok(!cookie.includes(GATEWAY_KEY), "the cookie is a digest, never the key");
    const pair = cookie.split(";")[0];

    const page = await handle(new Request("http://gw.example/", { headers: { ...html, cookie: pair } }));
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /kimi-k2\.6/);
    assert.match(body, /Sign out/);
    const json = await handle(new Request("http://gw.example/status.json", { headers: { cookie: pair } }));
    assert.equal(json.status, 200);
    await json.body?.cancel();
    const forged = await handle(
      new Request("http://gw.example/status.json", { headers: { cookie: `${pair.slice(0, -2)}00` } }),
    );
    assert.equal(forged.status, 401);
    await forged.body?.cancel();

    const crossSite = await handle(
      new Request("http://gw.example/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
        body: new URLSearchParams({ key: GATEWAY_KEY }),
      }),
    );
    assert.equal(crossSite.status, 403, "a form posted from another site signs nobody in");
    assert.equal(crossSite.headers.get("set-cookie"), null);
    await crossSite.body?.cancel();
    const huge = await handle(
      new Request("http://gw.example/login", {
        method: "POST",
        body: ReadableStream.from([new TextEncoder().encode(`key=${"x".repeat(10_000)}`)]),
      }),
    );
    assert.equal(huge.status, 413);
    await huge.body?.cancel();

    const out = await handle(
      new Request("http://gw.example/logout", { method: "POST", headers: { cookie: pair } }),
    );
    assert.equal(out.status, 303);
    assert.match(out.headers.get("set-cookie")!, /Max-Age=0/);
  });
});

Deno.test("status access: Basic auth and the API key headers open /metrics and /status.json", async () => {
  await withGateway(remote, async (handle) => {
    const none = await handle(new Request("http://gw.example/metrics"));
    assert.equal(none.status, 401);
    assert.match(none.headers.get("www-authenticate")!, /^Basic realm=/);
    await none.body?.cancel();
    const basic = `Basic ${btoa(`prometheus:${GATEWAY_KEY}`)}`;
    const headerSets: Record<string, string>[] = [{ authorization: basic }, {
      authorization: `Bearer ${GATEWAY_KEY}`,
    }, {
      "x-api-key": GATEWAY_KEY,
    }];
    for (const headers of headerSets) {
      const metrics = await handle(new Request("http://gw.example/metrics", { headers }));
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /^# HELP opencode_bridge_/m);
    }
    const wrongBasic = await handle(
      new Request("http://gw.example/status.json", {
        headers: { authorization: `Basic ${btoa("a:gw-key-nope")}` },
      }),
    );
    assert.equal(wrongBasic.status, 401);
    await wrongBasic.body?.cancel();
    const health = await handle(new Request("http://gw.example/health"));
    assert.equal(health.status, 200);
    assert.equal((await health.json()).ok, true);
  });
});

Deno.test("status access: beyond loopback without GATEWAY_KEYS the page is locked, on Deno Deploy too", async () => {
  await withGateway({ HOSTNAME: "0.0.0.0" }, async (handle) => {
    const page = await handle(new Request("http://gw.example/", { headers: html }));
    assert.equal(page.status, 403);
    const text = await page.text();
    assert.match(text, /set GATEWAY_KEYS/);
    assert.ok(!text.includes("<input"), "no form that could never work");
    const json = await handle(new Request("http://gw.example/status.json"));
    assert.equal(json.status, 403);
    await json.body?.cancel();
  });
  // The default HOSTNAME is loopback, but on Deno Deploy the page faces the internet.
  await withGateway({}, async (handle) => {
    const page = await handle(new Request("http://gw.example/", { headers: html }));
    assert.equal(page.status, 403);
    await page.body?.cancel();
  }, true);
  await withGateway({}, async (handle) => {
    const page = await handle(new Request("http://127.0.0.1/", { headers: html }));
    assert.equal(page.status, 200);
    await page.body?.cancel();
  });
});
