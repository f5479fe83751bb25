/**
 * The status page in a real headless browser (Debian's chromium driven by playwright-core): it renders, lists
 * the models, shows the counters after a request, logs no console error, and on a non-loopback gateway the
 * sign-in form lets a gateway key in (with a cookie the page's own scripts could not read) and out again.
 * A screenshot of each state lands in .cache/screenshots/ for a human to look at.
 * Chromium must be installed (`apt-get install -y chromium`): without it this test fails, it never skips.
 */
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { RequestStats } from "../../lib/status/request_stats.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { startFakeGo, until } from "../support/fake_status_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { statusCatalog } from "../support/status_catalog.ts";

const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
const GATEWAY_KEY = "gw-key-browser-login";
const screenshots = decodeURIComponent(new URL("../../.cache/screenshots/", import.meta.url).pathname);

async function launch(): Promise<{ browser: BrowserContext; profile: string }> {
  const found = await Deno.stat(CHROMIUM).then((info) => info.isFile, () => false);
  if (!found) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` ` +
        `(or set CHROMIUM_PATH). This test fails rather than skips without it.`,
    );
  }
  const profile = await Deno.makeTempDir({ prefix: "ocb-chromium-" });
  // A fresh profile per run (playwright takes it as launchPersistentContext's userDataDir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1400, height: 1000 },
    headless: true,
    timeout: 120_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { browser, profile };
}

/** Console errors and uncaught page errors, collected for the whole test. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page: ${error.message}`));
  return problems;
}

async function withBrowserGateway(
  settings: Record<string, string>,
  run: (context: { page: Page; url: string; stats: RequestStats; problems: string[] }) => Promise<void>,
) {
  const { browser, profile } = await launch();
  const go = startFakeGo();
  const stats = new RequestStats();
  const catalog = statusCatalog([
    {
      id: "kimi-k2.6",
      family: "openai-chat",
      price: { input: 0.95, output: 4, cacheRead: 0.16 },
      image: true,
    },
    { id: "glm-5.1", family: "openai-chat", price: { input: 1.4, output: 4.4, cacheRead: 0.26 } },
    { id: "minimax-m3", family: "anthropic", price: { input: 0.3, output: 1.2, cacheRead: 0.06 } },
    {
      id: "claude-sonnet-4-6",
      family: "anthropic",
      service: "zen",
      price: { input: 3, output: 15, cacheRead: 0.3 },
    },
  ], { go: go.url, zen: go.url });
  const config = testConfig({ RETRIES: "0", OPENCODE_GO_URL: go.url, OPENCODE_ZEN_URL: go.url, ...settings });
  const gateway = serveGateway(testGateway(config, { catalog, stats, deployed: false }));
  try {
    const page = browser.pages()[0] ?? await browser.newPage();
    const problems = watchConsole(page);
    await run({ page, url: gateway.url, stats, problems });
  } finally {
    await browser.close();
    await gateway.close();
    await go.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

async function sendOneRequest(url: string, apiKey: string, stats: RequestStats) {
  const client = new Anthropic({ baseURL: url, apiKey, maxRetries: 0 });
  await client.messages.stream({
    model: "kimi-k2.6",
    max_tokens: 50,
    messages: [{ role: "user", content: "Hi" }],
  })
    .finalMessage();
  await until(() => stats.total === 1, "the request to be counted");
}

Deno.test({
  name: "status page in chromium: renders the models, counts a request, no console errors",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await withBrowserGateway({}, async ({ page, url, stats, problems }) => {
      await sendOneRequest(url, "test-key-browser", stats);
      const response = await page.goto(`${url}/`, { waitUntil: "load" });
      assert.equal(response?.status(), 200);
      assert.equal(await page.title(), "opencode-bridge status");
      assert.equal(await page.locator("script").count(), 0);
      const ids = await page.locator("table.models tbody tr td:first-child code").allTextContents();
      assert.deepEqual(ids.toSorted(), ["claude-sonnet-4-6", "glm-5.1", "kimi-k2.6", "minimax-m3"]);
      const used = page.locator("table.models tbody tr.used");
      assert.equal(await used.count(), 1);
      const cells = await used.locator("td").allTextContents();
      assert.equal(cells[0], "kimi-k2.6");
      assert.equal(cells[5], "images, reasoning");
      assert.equal(cells[7], "1", "requests");
      assert.equal(cells[8], "0", "errors");
      assert.match(cells[10], /^20 \/ 7$/, "tokens in / out");
      assert.equal(cells[11], "83 %", "cache-read share");
      assert.match(cells[12], /^\$0\.0123$/, "cost");
      assert.match(
        await page.locator("p.summary").textContent() ?? "",
        /1 request · 0 errors ·\s+0 active streams/,
      );
      const recent = await page.locator("section:has(h2:text('Recent requests')) tbody tr").count();
      assert.equal(recent, 1);
      await Deno.mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: `${screenshots}status_page.png`, fullPage: true });
      assert.deepEqual(problems, []);
    });
  },
});

Deno.test({
  name: "status page in chromium: a non-loopback gateway signs in with a gateway key and out again",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await withBrowserGateway(
      { HOSTNAME: "0.0.0.0", GATEWAY_KEYS: GATEWAY_KEY, OPENCODE_API_KEY: "sk-browser-upstream" },
      async ({ page, url, stats, problems }) => {
        await sendOneRequest(url, GATEWAY_KEY, stats);
        await page.goto(`${url}/`);
        assert.equal(await page.locator("form.login").count(), 1);
        assert.equal(await page.locator("table.models").count(), 0, "no data before sign-in");
        await Deno.mkdir(screenshots, { recursive: true });
        await page.screenshot({ path: `${screenshots}status_login.png` });

        await page.fill("#key", "gw-key-wrong");
        await page.click("button[type=submit]");
        assert.match(
          await page.locator("[role=alert]").textContent() ?? "",
          /not one of this gateway's keys/,
        );

        await page.fill("#key", GATEWAY_KEY);
        await Promise.all([page.waitForURL(`${url}/`), page.click("button[type=submit]")]);
        assert.equal(await page.locator("table.models").count(), 1);
        assert.ok((await page.locator("table.models").textContent())!.includes("kimi-k2.6"));
        assert.equal(await page.evaluate("document.cookie"), "", "the cookie is HttpOnly");
        const cookies = await page.context().cookies();
        assert.equal(cookies.length, 1);
        assert.equal(cookies[0].httpOnly, true);
        assert.equal(cookies[0].sameSite, "Strict");
        assert.ok(!cookies[0].value.includes(GATEWAY_KEY));
        // The Go usage windows: the gateway holds a server key.
        assert.match(await page.locator("body").textContent() ?? "", /Rolling 5 hours/);
        await page.screenshot({ path: `${screenshots}status_signed_in.png`, fullPage: true });

        await page.click("text=Sign out");
        await page.waitForSelector("form.login");
        assert.equal((await page.context().cookies()).length, 0);
        // The 401 of the login page itself is the only "error" a browser may log; nothing else.
        assert.deepEqual(problems.filter((problem) => !problem.includes("401")), []);
      },
    );
  },
});
