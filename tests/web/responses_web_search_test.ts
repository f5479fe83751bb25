/**
 * An OpenAI Responses client's hosted `web_search` tool runs through the same emulation: the official OpenAI
 * SDK asks a model of each family, which calls `web_search`; the gateway searches the fake Tavily and answers
 * with real `web_search_call` items (and their stream events) and url_citation annotations on the text.
 */
import type OpenAI from "openai";
import assert from "node:assert/strict";
import type { Family } from "../../lib/catalog/types.ts";
import type { FakeUpstream, RecordedRequest } from "../support/fake_upstream.ts";
import type { ModelStep } from "./web_fakes.ts";
import { answerAfterSearch, withWebGateway } from "./web_gateway.ts";

const ANSWER = "Deno 2.6 adds a package manager UI [1].";
const CITED = "Deno 2.6 adds a package manager UI ([deno.com](https://deno.com/blog/v2.6)).";
const families: Family[] = ["openai-chat", "anthropic", "openai-responses", "gemini"];

function withResponsesGateway(
  family: Family,
  run: (context: { client: OpenAI; upstream: FakeUpstream; tavily: FakeUpstream }) => Promise<void>,
  steps: (request: RecordedRequest, call: number) => ModelStep = answerAfterSearch(ANSWER),
): Promise<void> {
  return withWebGateway(
    family,
    steps,
    ({ openai, upstream, backend }) => run({ client: openai, upstream, tavily: backend! }),
  );
}

const PARAMS = {
  model: "model-x",
  input: "What is new in Deno 2.6?",
  tools: [{ type: "web_search" as const, filters: { allowed_domains: ["deno.com"] } }],
};

type Item = Record<string, unknown> & { type: string };

function checkOutput(output: Item[], withSources: boolean): void {
  const calls = output.filter((item) => item.type === "web_search_call");
  assert.equal(calls.length, 1);
  const call = calls[0];
  assert.match(String(call.id), /^ws_/);
  assert.equal(call.status, "completed");
  const action = call.action as Record<string, unknown>;
  assert.equal(action.type, "search");
  assert.equal(action.query, "deno 2.6 release");
  if (withSources) {
    assert.deepEqual(action.sources, [
      { type: "url", url: "https://deno.com/blog/v2.6" },
      { type: "url", url: "https://docs.deno.com/runtime/" },
    ]);
  } else assert.equal(action.sources, undefined);
  const last = output.at(-1)!;
  assert.equal(last.type, "message");
  const part = (last.content as { text: string; annotations: Record<string, unknown>[] }[])[0];
  assert.equal(part.text, CITED);
  assert.equal(part.annotations.length, 1);
  const annotation = part.annotations[0];
  assert.equal(annotation.type, "url_citation");
  assert.equal(annotation.url, "https://deno.com/blog/v2.6");
  assert.equal(annotation.title, "Deno 2.6");
  assert.equal(
    part.text.slice(annotation.start_index as number, annotation.end_index as number),
    "[deno.com](https://deno.com/blog/v2.6)",
  );
  // The search comes before the answer it fed.
  assert.ok(output.indexOf(call) < output.indexOf(last));
}

for (const family of families) {
  Deno.test(`Responses web_search on a ${family} model, non-stream: web_search_call item, annotations`, async () => {
    await withResponsesGateway(family, async ({ client, upstream, tavily }) => {
      const response = await client.responses.create(PARAMS);
      checkOutput(response.output as unknown as Item[], false);
      assert.equal(response.output_text.endsWith(CITED), true);
      assert.equal(tavily.requests.length, 1);
      assert.deepEqual((tavily.requests[0].body as Record<string, unknown>).include_domains, ["deno.com"]);
      assert.doesNotMatch(JSON.stringify(upstream.requests[0].body), /"type":"web_search"/);
    });
  });

  Deno.test(`Responses web_search on a ${family} model, streamed: events in OpenAI's order`, async () => {
    await withResponsesGateway(family, async ({ client }) => {
      const stream = await client.responses.create({
        ...PARAMS,
        include: ["web_search_call.action.sources"],
        stream: true,
      });
      const events: { type: string; [key: string]: unknown }[] = [];
      let completed: Item[] = [];
      for await (const event of stream) {
        events.push(event as unknown as { type: string });
        if (event.type === "response.completed") completed = event.response.output as unknown as Item[];
      }
      checkOutput(completed, true);
      const callId = (completed.find((item) => item.type === "web_search_call")!).id;
      const forCall = events.filter((event) =>
        event.item_id === callId || (event.item as { id?: string } | undefined)?.id === callId
      ).map((event) => event.type);
      assert.deepEqual(forCall, [
        "response.output_item.added",
        "response.web_search_call.in_progress",
        "response.web_search_call.searching",
        "response.web_search_call.completed",
        "response.output_item.done",
      ]);
      const added = events.find((event) => event.type === "response.output_text.annotation.added")!;
      assert.equal((added.annotation as { url: string }).url, "https://deno.com/blog/v2.6");
      assert.equal(added.annotation_index, 0);
      const sequence = events.map((event) => event.sequence_number as number);
      assert.deepEqual(sequence, sequence.map((_, index) => index));
    });
  });
}

Deno.test("Responses web_search: the output sent back as input is accepted; the model reads the links", async () => {
  const steps = (_request: RecordedRequest, call: number): ModelStep =>
    call === 0 ? { tool: "web_search", query: "deno 2.6 release" } : { text: call === 1 ? ANSWER : "Sure." };
  await withResponsesGateway("openai-chat", async ({ client, upstream }) => {
    const first = await client.responses.create(PARAMS);
    const second = await client.responses.create({
      ...PARAMS,
      input: [
        { role: "user", content: "What is new in Deno 2.6?" },
        ...first.output as OpenAI.Responses.ResponseInputItem[],
        { role: "user", content: "Thanks. Anything else?" },
      ],
    });
    assert.equal(second.output_text, "Sure.");
    const sent = JSON.stringify(upstream.requests.at(-1)!.body);
    assert.ok(sent.includes("[deno.com](https://deno.com/blog/v2.6)"), sent);
    assert.ok(!sent.includes("web_search_call"), sent);
  }, steps);
});

Deno.test("Responses web_search with no backend: the web_search_call item says failed, streamed and not", async () => {
  await withWebGateway("openai-chat", answerAfterSearch("I could not search."), async ({ openai }) => {
    const response = await openai.responses.create(PARAMS);
    const call = response.output.find((item) => item.type === "web_search_call")!;
    assert.equal(call.status, "failed");
    assert.equal(response.output_text.endsWith("I could not search."), true);
    const events: { type: string; item?: { type?: string; status?: string } }[] = [];
    for await (const event of await openai.responses.create({ ...PARAMS, stream: true })) {
      events.push(event as unknown as (typeof events)[number]);
    }
    const types = events.map((event) => event.type);
    assert.ok(types.includes("response.web_search_call.searching"));
    assert.ok(!types.includes("response.web_search_call.completed"));
    const done = events.find((event) =>
      event.type === "response.output_item.done" && event.item?.type === "web_search_call"
    );
    assert.equal(done?.item?.status, "failed");
    assert.equal(types.at(-1), "response.completed");
  }, "none");
});
