/**
 * A gateway whose chat model fetches the URL the user names (once, then answers), a fake page server on
 * loopback (allowed through the test-only WEB_FETCH_ALLOW_LOOPBACK), and an optional fetch cache of the
 * test's own (fake clock), for the robots.txt and fetch-cache tests.
 */
import Anthropic from "@anthropic-ai/sdk";
import { fakeCatalog } from "../support/fake_catalog.ts";
import {
  type FakeHandler,
  type FakeUpstream,
  serveGateway,
  startFakeUpstream,
} from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import type { FetchCache } from "../../lib/web/fetch_cache.ts";
import { lastToolResultText, scriptedModel } from "./web_fakes.ts";

export const FETCH_TOOL = { type: "web_fetch_20250910", name: "web_fetch" } as const;

export interface FetchGateway {
  client: Anthropic;
  pages: FakeUpstream;
  upstream: FakeUpstream;
  logs: string[];
  /** Asks the model to read `url` in a fresh request; the web_fetch_tool_result's content. */
  fetch(url: string, tool?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Page-server requests for `path`. */
  hits(path: string): number;
}

export async function withFetchGateway(
  setup: { pages: FakeHandler; variables?: Record<string, string>; cache?: FetchCache },
  run: (gateway: FetchGateway) => Promise<void>,
): Promise<void> {
  const pages = startFakeUpstream(setup.pages);
  const upstream = scriptedModel("openai-chat", (request) => {
    const body = JSON.stringify(request.body);
    if (lastToolResultText(request.body) || !body.includes('"name":"web_fetch"')) {
      return { text: "Done reading." };
    }
    const url = /Read (\S+) please/.exec(body)![1];
    return { tool: "web_fetch", url };
  });
  const logs: string[] = [];
  const gateway = serveGateway(
    testGateway(testConfig({ WEB_FETCH_ALLOW_LOOPBACK: "1", ...setup.variables }), {
      catalog: fakeCatalog([{ id: "model-x", family: "openai-chat", reasoning: false }], {
        go: upstream.url,
      }),
      log: (line) => logs.push(line),
      webFetchCache: setup.cache,
    }),
  );
  const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
  try {
    await run({
      client,
      pages,
      upstream,
      logs,
      async fetch(url, tool = {}) {
        const message = await client.messages.create({
          model: "model-x",
          max_tokens: 1000,
          messages: [{ role: "user", content: `Read ${url} please` }],
          tools: [{ ...FETCH_TOOL, ...tool } as unknown as Anthropic.ToolUnion],
        });
        const result = message.content.find((block) => block.type === "web_fetch_tool_result");
        if (!result) throw new Error(`no web_fetch_tool_result: ${JSON.stringify(message)}`);
        return result.content as unknown as Record<string, unknown>;
      },
      hits: (path) => pages.requests.filter((request) => request.path === path).length,
    });
  } finally {
    await gateway.close();
    await upstream.close();
    await pages.close();
  }
}

/** The error code of a web_fetch_tool_result's content, or a description of the success it was. */
export function fetchErrorCode(content: Record<string, unknown>): unknown {
  return content.type === "web_fetch_tool_result_error"
    ? content.error_code
    : `not an error: ${JSON.stringify(content).slice(0, 200)}`;
}

/** The text a successful web_fetch_tool_result carries. */
export function fetchedText(content: Record<string, unknown>): string {
  const document = content.content as { source?: { data?: string } } | undefined;
  if (!document?.source?.data) {
    throw new Error(`not a fetched page: ${JSON.stringify(content).slice(0, 300)}`);
  }
  return document.source.data;
}
