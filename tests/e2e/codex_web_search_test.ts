/**
 * The Codex CLI's web search through the gateway: with `web_search = "live"` Codex offers the hosted
 * `web_search` tool on /v1/responses; the gateway emulates it on a fake chat upstream (which calls the
 * `web_search` function, then answers citing result [1]) with a fake Tavily, and sends Codex a real
 * `web_search_call` item and a url_citation. Codex's final answer carries the link.
 */
import assert from "node:assert/strict";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { serveGateway } from "../support/fake_upstream.ts";
import { lastToolResultText, scriptedModel, startFakeTavily } from "../web/web_fakes.ts";
import { CODEX, CODEX_INSTALL, codexInstalled, runCodex } from "./codex_run.ts";

const MODEL = "kimi-k2.6";

Deno.test({
  name: codexInstalled()
    ? "Codex CLI web search runs through the gateway's emulation on a chat upstream"
    : `Codex CLI web search e2e SKIPPED: ${CODEX} is absent (install it with: ${CODEX_INSTALL})`,
  ignore: !codexInstalled(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const upstream = scriptedModel("openai-chat", (request) => {
      const body = request.body as { tools?: { function?: { name?: string } }[] };
      const offered = body.tools?.some((tool) => tool.function?.name === "web_search") ?? false;
      if (!offered) return { text: "Title" };
      return lastToolResultText(request.body)
        ? { text: "Deno 2.6 adds a package manager UI [1]." }
        : { tool: "web_search", query: "deno 2.6 release" };
    });
    const tavily = startFakeTavily();
    const catalog = fakeCatalog([{ id: MODEL, family: "openai-chat" }], { go: upstream.url });
    const gateway = serveGateway(
      testGateway(
        testConfig({
          OPENCODE_API_KEY: "server-key",
          TAVILY_API_KEY: "tvly-test-key",
          TAVILY_BASE_URL: tavily.url,
        }),
        { catalog },
      ),
    );
    const work = await Deno.makeTempDir({ prefix: "ocb-codex-work-" });
    try {
      const run = await runCodex({
        gatewayUrl: gateway.url,
        catalog,
        model: MODEL,
        prompt: "What is new in Deno 2.6? Search the web.",
        work,
        extraConfig: [`web_search = "live"`],
      });
      assert.equal(run.code, 0, run.log);
      assert.equal(tavily.requests.length, 1, run.log);
      assert.equal((tavily.requests[0].body as { query: string }).query, "deno 2.6 release");
      assert.match(
        run.stdout,
        /Deno 2\.6 adds a package manager UI \(\[deno\.com\]\(https:\/\/deno\.com\/blog\/v2\.6\)\)/,
      );
      // Codex asked for the hosted tool; the upstream only ever saw the gateway's function tool.
      const sent = JSON.stringify(upstream.requests.map((request) => request.body));
      assert.doesNotMatch(sent, /"type":"web_search"/);
    } finally {
      await gateway.close();
      await upstream.close();
      await tavily.close();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
