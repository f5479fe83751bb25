import assert from "node:assert/strict";
import { GatewayError } from "../../lib/errors/gateway_error.ts";
import { collectMessage } from "../../lib/hub/collect_message.ts";
import { HubStreamBuilder } from "../../lib/hub/stream_builder.ts";

Deno.test("collectMessage folds a stream into one message with parsed tool input and final usage", () => {
  const builder = new HubStreamBuilder({ messageId: "msg_1", model: "glm-5.1" });
  builder.thinking("hmm");
  builder.signature("sig");
  builder.text("Hi");
  const index = builder.toolStart("call_1", "Write");
  builder.toolArguments(index, '{"file_path":"/tmp/a",');
  builder.toolArguments(index, '"content":"x"}');
  builder.finish("tool_use", { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 6 });
  const message = collectMessage(builder.sink);
  assert.deepEqual(message.content, [
    { type: "thinking", thinking: "hmm", signature: "sig" },
    { type: "text", text: "Hi" },
    { type: "tool_use", id: "call_1", name: "Write", input: { file_path: "/tmp/a", content: "x" } },
  ]);
  assert.equal(message.stop_reason, "tool_use");
  assert.deepEqual(message.usage, { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 6 });
});

Deno.test("collectMessage throws the stream's error as a GatewayError", () => {
  const builder = new HubStreamBuilder({ messageId: "msg_1", model: "m" });
  builder.text("x");
  builder.fail("overloaded_error", "Upstream overloaded");
  assert.throws(() => collectMessage(builder.sink), (error: unknown) => {
    return error instanceof GatewayError && error.kind === "overloaded_error" && error.status === 529;
  });
});
