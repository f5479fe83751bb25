import assert from "node:assert/strict";
import { costInTail, costTail, parseCost } from "../../lib/log/cost_frame.ts";

const encoder = new TextEncoder();

Deno.test("costInTail reads OpenCode's cost frame in the Anthropic and OpenAI shapes", async (t) => {
  const cases: { name: string; text: string; expected: number | undefined }[] = [
    {
      name: "anthropic ping",
      text: 'event: ping\ndata: {"type":"ping","cost":"0.0042"}\n\n',
      expected: 0.0042,
    },
    { name: "chat chunk", text: 'data: [DONE]\n\ndata: {"choices":[],"cost":"0.013"}\n\n', expected: 0.013 },
    { name: "numeric cost", text: 'data: {"choices":[],"cost":0.5}\n\n', expected: 0.5 },
    { name: "zero", text: 'data: {"choices":[],"cost":"0"}\n\n', expected: 0 },
    { name: "no cost", text: 'event: message_stop\ndata: {"type":"message_stop"}\n\n', expected: undefined },
    {
      name: "cost inside text is escaped",
      text: 'data: {"delta":{"text":"the \\"cost\\": 5"}}\n\n',
      expected: undefined,
    },
    { name: "negative", text: 'data: {"choices":[],"cost":"-1"}\n\n', expected: undefined },
    { name: "garbage", text: 'data: {"choices":[],"cost":"abc"}\n\n', expected: undefined },
    { name: "cut json", text: 'data: {"choices":[],"cost":"0.1', expected: undefined },
  ];
  for (const { name, text, expected } of cases) {
    await t.step(name, () => assert.equal(costInTail(encoder.encode(text)), expected));
  }
  assert.equal(
    costInTail(encoder.encode(`${"x".repeat(100_000)}data: {"choices":[],"cost":"1.5"}\n\n`)),
    1.5,
  );
  assert.equal(parseCost(" "), undefined);
});

Deno.test("costTail finds a cost frame cut across two reads", () => {
  const tail = costTail();
  assert.equal(
    tail(encoder.encode('event: message_stop\ndata: {"type":"message_stop"}\n\nevent: ping\ndata: {"ty')),
    undefined,
  );
  assert.equal(tail(encoder.encode('pe":"ping","cost":"0.0001"}\n\n')), 0.0001);
});
