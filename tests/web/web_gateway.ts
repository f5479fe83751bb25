/**
 * A gateway wired to a scripted model of one family and a fake search backend, for the web-tool tests, with
 * an Anthropic and an OpenAI SDK client pointed at it.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { Family } from "../../lib/catalog/types.ts";
import { fakeCatalog } from "../support/fake_catalog.ts";
import { type FakeUpstream, type RecordedRequest, serveGateway } from "../support/fake_upstream.ts";
import { testConfig, testGateway } from "../support/log_tap.ts";
import {
  lastToolResultText,
  type ModelStep,
  scriptedModel,
  startFakeSearxng,
  startFakeTavily,
} from "./web_fakes.ts";

/** Searches once, then answers quoting what the search returned (its [n] markers defused: no citations). */
export function searchOnce(request: RecordedRequest): ModelStep {
  const results = lastToolResultText(request.body).replace(/\[(\d+)\]/g, "($1)");
  return results
    ? { text: `Answer from: ${results.slice(0, 400)}` }
    : { tool: "web_search", query: "deno 2.6 release" };
}

/** Searches once, then gives `answer` (which may cite the results as [n]). */
export function answerAfterSearch(answer: string): (request: RecordedRequest) => ModelStep {
  return (request) =>
    lastToolResultText(request.body) ? { text: answer } : { tool: "web_search", query: "deno 2.6 release" };
}

export async function withWebGateway(
  family: Family,
  steps: (request: RecordedRequest, call: number) => ModelStep,
  run: (
    context: {
      client: Anthropic;
      openai: OpenAI;
      upstream: FakeUpstream;
      backend?: FakeUpstream;
      logs: string[];
    },
  ) => Promise<void>,
  backend: "tavily" | "searxng" | "none" = "tavily",
  variables: Record<string, string> = {},
): Promise<void> {
  const upstream = scriptedModel(family, steps);
  const fake = backend === "tavily"
    ? startFakeTavily()
    : backend === "searxng"
    ? startFakeSearxng()
    : undefined;
  const settings: Record<string, string> = {};
  if (backend === "tavily") {
    Object.assign(settings, { TAVILY_API_KEY: "tvly-test-key", TAVILY_BASE_URL: fake!.url });
  }
  if (backend === "searxng") settings.SEARXNG_URL = fake!.url;
  Object.assign(settings, variables);
  const logs: string[] = [];
  const gateway = serveGateway(
    testGateway(testConfig(settings), {
      catalog: fakeCatalog([{ id: "model-x", family, reasoning: false }], { go: upstream.url }),
      log: (line) => logs.push(line),
    }),
  );
  try {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: "test-key", maxRetries: 0 });
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "test-key", maxRetries: 0 });
    await run({ client, openai, upstream, backend: fake, logs });
  } finally {
    await gateway.close();
    await upstream.close();
    await fake?.close();
  }
}
