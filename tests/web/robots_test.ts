/**
 * robots.txt for the gateway's own fetcher: parsing (groups, our token over `*`, longest match, `*` and `$`),
 * what a missing, failing or redirecting robots.txt means, and web_fetch's refusal as the client sees it.
 */
import assert from "node:assert/strict";
import { WebToolError } from "../../lib/web/backend_http.ts";
import { FetchCache } from "../../lib/web/fetch_cache.ts";
import { checkRobots, ROBOTS_TOKEN, type RobotsOptions } from "../../lib/web/robots_check.ts";
import { FETCH_USER_AGENT } from "../../lib/web/safe_get.ts";
import { type FakeHandler, startFakeUpstream } from "../support/fake_upstream.ts";
import { fetchedText, fetchErrorCode, withFetchGateway } from "./fetch_gateway.ts";

/** checkRobots' options for loopback fakes: no client abort, loopback allowed. */
function robotsOptions(cache?: FetchCache): RobotsOptions {
  const signal = new AbortController().signal;
  return {
    fetch,
    clientSignal: signal,
    signal,
    allowLoopback: true,
    maxRedirects: 3,
    maxBytes: 1 << 20,
    cache,
  };
}

const text = (body: string) => new Response(body, { headers: { "content-type": "text/plain" } });

/** What checkRobots says about each path, against a server whose /robots.txt the handler gives. */
async function verdicts(robots: FakeHandler, paths: string[], cache?: FetchCache): Promise<string[]> {
  const server = startFakeUpstream(robots);
  try {
    const results: string[] = [];
    for (const path of paths) {
      try {
        await checkRobots(new URL(path, server.url), robotsOptions(cache));
        results.push("allow");
      } catch (error) {
        if (!(error instanceof WebToolError)) throw error;
        results.push(error.code === "url_not_allowed" ? "disallow" : error.code);
      }
    }
    return results;
  } finally {
    await server.close();
  }
}

const robotsFile = (body: string): FakeHandler => (request) =>
  request.path === "/robots.txt" ? text(body) : new Response("no", { status: 404 });

Deno.test("robots.txt: our group replaces the * group, matched case-insensitively", async () => {
  const file = "User-agent: *\nDisallow: /private\n\nUser-Agent: OpenCode-Bridge\nDisallow: /ours\n";
  assert.deepEqual(await verdicts(robotsFile(file), ["/private", "/ours/page", "/other"]), [
    "allow",
    "disallow",
    "allow",
  ]);
  assert.equal(ROBOTS_TOKEN, "opencode-bridge");
  assert.match(FETCH_USER_AGENT, /^opencode-bridge\/\S+ \(web_fetch\)$/);
});

Deno.test("robots.txt: the * group applies when no group names us; other bots' groups do not", async () => {
  const file = "User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /private # comment\n";
  assert.deepEqual(await verdicts(robotsFile(file), ["/private/x", "/public"]), ["disallow", "allow"]);
});

Deno.test("robots.txt: several user-agent lines share a group, and groups for the same agent merge", async () => {
  const file = [
    "User-agent: somebot",
    "User-agent: opencode-bridge",
    "Disallow: /a",
    "",
    "User-agent: opencode-bridge",
    "Disallow: /b",
  ].join("\r\n");
  assert.deepEqual(await verdicts(robotsFile(file), ["/a", "/b", "/c"]), ["disallow", "disallow", "allow"]);
});

Deno.test("robots.txt: the longest match wins, Allow wins a tie", async () => {
  const file = "User-agent: *\nDisallow: /docs\nAllow: /docs/public\nAllow: /same\nDisallow: /same\n";
  assert.deepEqual(await verdicts(robotsFile(file), ["/docs/secret", "/docs/public/x", "/same"]), [
    "disallow",
    "allow",
    "allow",
  ]);
});

Deno.test("robots.txt: * matches any run of characters and $ anchors the end (query included)", async () => {
  const file = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\nAllow: /\n";
  assert.deepEqual(
    await verdicts(robotsFile(file), ["/a/b.pdf", "/a/b.pdf?x=1", "/search/all?q=deno", "/search/all"]),
    ["disallow", "allow", "disallow", "allow"],
  );
});

Deno.test("robots.txt: an empty Disallow allows all; Disallow: / refuses all but /robots.txt itself", async () => {
  assert.deepEqual(await verdicts(robotsFile("User-agent: *\nDisallow:\n"), ["/x"]), ["allow"]);
  assert.deepEqual(await verdicts(robotsFile("User-agent: *\nDisallow: /\n"), ["/", "/x", "/robots.txt"]), [
    "disallow",
    "disallow",
    "allow",
  ]);
});

Deno.test("robots.txt: a 4xx (none there) allows all; a 5xx, a 429 or no server refuses as url_not_accessible", async () => {
  for (const status of [404, 403, 401, 410]) {
    assert.deepEqual(
      await verdicts(() => new Response("x", { status }), ["/x"]),
      ["allow"],
      `HTTP ${status}`,
    );
  }
  for (const status of [500, 503, 429]) {
    assert.deepEqual(await verdicts(() => new Response("x", { status }), ["/x"]), ["url_not_accessible"]);
  }
  const closed = startFakeUpstream(() => new Response("x"));
  const port = new URL(closed.url).port;
  await closed.close();
  const refused = await checkRobots(new URL(`http://127.0.0.1:${port}/x`), robotsOptions())
    .catch((error) => error);
  assert.ok(refused instanceof WebToolError);
  assert.equal(refused.code, "url_not_accessible");
  assert.match(refused.message, /robots\.txt could not be read .*disallowing all/);
});

Deno.test("robots.txt: redirects are followed and re-checked; a private target is unreachable, a loop is none", async () => {
  const followed: FakeHandler = (request) =>
    request.path === "/robots.txt"
      ? new Response(null, { status: 301, headers: { location: "/real-robots.txt" } })
      : request.path === "/real-robots.txt"
      ? text("User-agent: *\nDisallow: /no\n")
      : new Response("no", { status: 404 });
  assert.deepEqual(await verdicts(followed, ["/no", "/yes"]), ["disallow", "allow"]);
  const toPrivate: FakeHandler = () =>
    new Response(null, { status: 302, headers: { location: "http://10.0.0.7/robots.txt" } });
  assert.deepEqual(await verdicts(toPrivate, ["/x"]), ["url_not_accessible"]);
  const loop: FakeHandler = () => new Response(null, { status: 302, headers: { location: "/robots.txt" } });
  assert.deepEqual(await verdicts(loop, ["/x"]), ["allow"]);
});

Deno.test("robots.txt: read once per origin while cached; failures are not cached", async () => {
  let calls = 0;
  let status = 503;
  const counted: FakeHandler = () => {
    calls++;
    return status === 200 ? text("User-agent: *\nDisallow: /no\n") : new Response("busy", { status });
  };
  const cache = new FetchCache({ maxBytes: 1024 * 1024, ttlMs: 60_000 });
  const server = startFakeUpstream(counted);
  const check = (path: string) =>
    checkRobots(new URL(path, server.url), robotsOptions(cache))
      .then(() => "allow", (error: WebToolError) => error.code);
  try {
    assert.equal(await check("/yes"), "url_not_accessible");
    status = 200;
    assert.equal(await check("/yes"), "allow");
    assert.equal(await check("/no"), "url_not_allowed");
    assert.equal(await check("/yes/again"), "allow");
    assert.equal(calls, 2);
  } finally {
    await server.close();
  }
});

Deno.test("robots.txt: a file over 512 KiB is read up to the cut, its partial last line dropped", async () => {
  const head = "User-agent: *\nDisallow: /early\n";
  const cut = 512 * 1024;
  // The cut falls inside the last rule, after "Disallow: /la": that fragment must not become a rule.
  const filler = `#${"x".repeat(cut - head.length - "Disallow: /la".length - 2)}\n`;
  const file = `${head}${filler}Disallow: /late-page\nDisallow: /later\n`;
  assert.equal(file.indexOf("Disallow: /late-page") + "Disallow: /la".length, cut);
  assert.deepEqual(await verdicts(robotsFile(file), ["/early", "/lamp", "/late-page", "/later"]), [
    "disallow",
    "allow",
    "allow",
    "allow",
  ]);
});

const site: FakeHandler = (request) => {
  const origin = `http://${request.headers.get("host")}`;
  switch (request.path) {
    case "/robots.txt":
      return text("User-agent: *\nDisallow: /private\n");
    case "/private/page":
    case "/public/page":
      return new Response("<html><title>Page</title><body><p>Secret words.</p></body></html>", {
        headers: { "content-type": "text/html" },
      });
    case "/public/to-private":
      return new Response(null, { status: 302, headers: { location: `${origin}/private/page` } });
    default:
      return new Response("no", { status: 404 });
  }
};

Deno.test("web_fetch refuses a URL robots.txt disallows with url_not_allowed, without requesting it", async () => {
  await withFetchGateway({ pages: site }, async (gateway) => {
    const content = await gateway.fetch(`${gateway.pages.url}/private/page`);
    assert.equal(fetchErrorCode(content), "url_not_allowed");
    assert.equal(gateway.hits("/private/page"), 0);
    assert.equal(gateway.hits("/robots.txt"), 1);
    const robotsRequest = gateway.pages.requests.find((request) => request.path === "/robots.txt")!;
    assert.equal(robotsRequest.headers.get("user-agent"), FETCH_USER_AGENT);
    // The model reads why; the log line says it too.
    const modelSaw = JSON.stringify(gateway.upstream.requests.at(-1)!.body);
    assert.match(modelSaw, /web_fetch failed \(url_not_allowed\): .*robots\.txt disallows \/private\/page/);
    assert.ok(gateway.logs.some((line) => line.includes("robots.txt disallows")), gateway.logs.join("\n"));
    // An allowed page of the same site is fetched, the robots.txt read from the cache.
    assert.match(fetchedText(await gateway.fetch(`${gateway.pages.url}/public/page`)), /Secret words/);
    assert.equal(gateway.hits("/robots.txt"), 1);
  });
});

Deno.test("web_fetch checks robots.txt again on a redirect hop", async () => {
  await withFetchGateway({ pages: site }, async (gateway) => {
    const content = await gateway.fetch(`${gateway.pages.url}/public/to-private`);
    assert.equal(fetchErrorCode(content), "url_not_allowed");
    assert.equal(gateway.hits("/private/page"), 0);
  });
});

Deno.test("WEB_FETCH_ROBOTS=0 turns robots.txt off", async () => {
  await withFetchGateway({ pages: site, variables: { WEB_FETCH_ROBOTS: "0" } }, async (gateway) => {
    assert.match(fetchedText(await gateway.fetch(`${gateway.pages.url}/private/page`)), /Secret words/);
    assert.equal(gateway.hits("/robots.txt"), 0);
  });
});
