/**
 * End to end: the pinned Claude Code CLI's WebFetch through the gateway. WebFetch does not use the server
 * tool: the CLI fetches the page itself (here from a fake page server on loopback, with its hostname
 * preflight to api.anthropic.com switched off by `skipWebFetchPreflight`) and asks a model to read it through
 * the gateway; the main model then gets that answer. Run on a chat-family and an Anthropic-format model.
 */
import assert from "node:assert/strict";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { type RecordedRequest, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import { type ModelStep, scriptedModel } from "../web/web_fakes.ts";
import {
  aliasingCatalog,
  assertClaudeCodeRuns,
  CLAUDE_CODE_VERSION,
  claudeCodeEnvironment,
  describeRun,
  findClaudeCode,
  NOT_INSTALLED,
  runClaudeCode,
} from "./support.ts";

const binary = findClaudeCode();
const openssl = await new Deno.Command("openssl", { args: ["version"], stdout: "null", stderr: "null" })
  .output()
  .then((output) => output.success, () => false);
const skipped = !binary
  ? NOT_INSTALLED
  : openssl
  ? ""
  : " [skipped: openssl is needed for the HTTPS page server]";

/**
 * WebFetch upgrades http to https, so the fake page server speaks TLS with a certificate made for this run
 * (the CLI trusts it through NODE_EXTRA_CA_CERTS).
 */
async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string; certPath: string }> {
  const certPath = `${dir}/cert.pem`;
  const keyPath = `${dir}/key.pem`;
  const output = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      keyPath,
      "-out",
      certPath,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(`openssl failed: ${new TextDecoder().decode(output.stderr)}`);
  return { cert: await Deno.readTextFile(certPath), key: await Deno.readTextFile(keyPath), certPath };
}
const PAGE_TEXT = "The gateway release ships emulated web tools";

for (const [family, model] of [["openai-chat", "kimi-k2.6"], ["anthropic", "minimax-m2.7"]] as const) {
  Deno.test({
    name: `Claude Code ${CLAUDE_CODE_VERSION} WebFetch reads a page through a ${family} model${skipped}`,
    ignore: !binary || !openssl,
    async fn() {
      await assertClaudeCodeRuns(binary!);
      const home = await Deno.makeTempDir({ prefix: "ocb-e2e-home-" });
      await Deno.mkdir(`${home}/.claude`, { recursive: true });
      await Deno.writeTextFile(
        `${home}/.claude/settings.json`,
        JSON.stringify({ skipWebFetchPreflight: true }),
      );
      const project = await Deno.realPath(await Deno.makeTempDir({ prefix: "ocb-e2e-project-" }));
      const tls = await selfSignedCertificate(home);
      const pageRequests: string[] = [];
      const server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        cert: tls.cert,
        key: tls.key,
        onListen: () => {},
      }, (request) => {
        pageRequests.push(request.url);
        return new Response(`<html><head><title>News</title></head><body><p>${PAGE_TEXT}</p></body></html>`, {
          headers: { "content-type": "text/html" },
        });
      });
      const pages = { requests: pageRequests, close: () => server.shutdown() };
      const pageUrl = `https://127.0.0.1:${server.addr.port}/news`;
      const steps = (request: RecordedRequest): ModelStep => {
        const body = JSON.stringify(request.body);
        if (body.includes('"name":"WebFetch"')) {
          // A WebFetch that keeps failing must not loop: the second attempt ends the session.
          return body.includes("SUMMARY:") || body.split(pageUrl).length > 4
            ? { text: "FETCH-DONE" }
            : { tool: "WebFetch", input: { url: pageUrl, prompt: "What does it say?" } };
        }
        if (body.includes('"name":"ToolSearch"')) {
          return { tool: "ToolSearch", input: { query: "select:WebFetch" } };
        }
        // The page-reading request WebFetch sends through the gateway.
        if (body.includes(PAGE_TEXT)) return { text: `SUMMARY: ${PAGE_TEXT}` };
        return { text: "ok" };
      };
      const upstream = scriptedModel(family, steps);
      const catalog = aliasingCatalog(fakeCatalog([{ id: model, family }], { go: upstream.url }), model, []);
      const gateway = serveGateway(testGateway(testConfig(), { catalog }));
      try {
        const run = await runClaudeCode({
          binary: binary!,
          args: ["-p", `What does ${pageUrl} say?`, "--model", model, "--allowedTools", "WebFetch"],
          cwd: project,
          env: claudeCodeEnvironment(home, gateway.url, { NODE_EXTRA_CA_CERTS: tls.certPath }),
          timeoutMs: 180_000,
        });
        const report = describeRun(run, upstream.requests) + `\n--- page requests: ${pages.requests.length}`;
        if (Deno.env.get("E2E_REPORT") === "1") {
          console.log(
            report,
            JSON.stringify((upstream.requests.at(-1)?.body as { messages?: unknown[] })?.messages?.slice(-2))
              .slice(0, 3000),
          );
        }
        assert(!run.timedOut, report);
        assert.equal(run.code, 0, report);
        assert(pages.requests.length >= 1, `Claude Code never fetched the page\n${report}`);
        assert(upstream.requests.some((request) => JSON.stringify(request.body).includes(PAGE_TEXT)), report);
        assert.match(run.stdout, /FETCH-DONE/, report);
      } finally {
        await gateway.close();
        await upstream.close();
        await pages.close();
        await Deno.remove(home, { recursive: true }).catch(() => {});
        await Deno.remove(project, { recursive: true }).catch(() => {});
      }
    },
  });
}
