/**
 * Checks one benchmark answer against the reply the fake was scripted to give: event grammar for streams,
 * exact text, exact tool input. Throws with what differed, so a fast wrong answer fails the run.
 */
import { isDeepStrictEqual } from "node:util";
import type { Reply } from "./replies.ts";
import type { ClientFormat } from "./requests.ts";

type Json = Record<string, unknown>;

interface Frame {
  event?: string;
  data: string;
}

function frames(text: string): Frame[] {
  const out: Frame[] = [];
  for (const block of text.replaceAll("\r\n", "\n").split("\n\n")) {
    if (!block.trim()) continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      else if (line.startsWith(":")) continue;
      else throw new Error(`not an SSE line: ${line.slice(0, 80)}`);
    }
    if (data.length) out.push({ event, data: data.join("\n") });
  }
  return out;
}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function sameTool(reply: Reply, name: unknown, input: unknown): void {
  expect(reply.tool, `unexpected tool call ${String(name)}`);
  expect(name === reply.tool.name, `tool name ${String(name)} != ${reply.tool.name}`);
  expect(isDeepStrictEqual(input, reply.tool.input), `tool input ${JSON.stringify(input)} differs`);
}

function sameText(reply: Reply, text: string): void {
  expect(
    text === reply.text,
    `text differs (${text.length} vs ${reply.text.length} chars): ${text.slice(0, 60)}`,
  );
}

function anthropicMessage(body: Json, reply: Reply): void {
  expect(body.type === "message", `not a message: ${JSON.stringify(body).slice(0, 200)}`);
  const content = body.content as Json[];
  sameText(reply, content.filter((block) => block.type === "text").map((block) => block.text).join(""));
  const calls = content.filter((block) => block.type === "tool_use");
  expect(calls.length === (reply.tool ? 1 : 0), `${calls.length} tool calls`);
  if (reply.tool) sameTool(reply, calls[0].name, calls[0].input);
  expect(body.stop_reason === (reply.tool ? "tool_use" : "end_turn"), `stop_reason ${body.stop_reason}`);
}

function anthropicStream(text: string, reply: Reply): number {
  const events = frames(text).map((frame) => ({ name: frame.event, data: JSON.parse(frame.data) as Json }))
    .filter((event) => event.name !== "ping");
  expect(events[0]?.name === "message_start", `first event ${events[0]?.name}`);
  expect(events.at(-1)?.name === "message_stop", `last event ${events.at(-1)?.name}`);
  expect(events.at(-2)?.name === "message_delta", `message_delta not before message_stop`);
  const blocks: { type: string; text: string; name?: unknown; json: string }[] = [];
  let open = -1;
  for (const { name, data } of events.slice(1, -2)) {
    expect(data.type === name, `event ${name} carries ${data.type}`);
    if (name === "content_block_start") {
      expect(open === -1 && data.index === blocks.length, `block ${data.index} starts out of order`);
      const block = data.content_block as Json;
      blocks.push({ type: String(block.type), text: "", name: block.name, json: "" });
      open = data.index as number;
    } else if (name === "content_block_delta") {
      expect(data.index === open, `delta for block ${data.index}, open ${open}`);
      const delta = data.delta as Json;
      const block = blocks[open];
      if (delta.type === "text_delta" && block.type === "text") block.text += delta.text;
      else if (delta.type === "input_json_delta" && block.type === "tool_use") {
        block.json += delta.partial_json;
      } else throw new Error(`${delta.type} in a ${block.type} block`);
    } else if (name === "content_block_stop") {
      expect(data.index === open, `stop for block ${data.index}, open ${open}`);
      open = -1;
    } else throw new Error(`unexpected event ${name}`);
  }
  expect(open === -1, "a block was never stopped");
  sameText(reply, blocks.filter((block) => block.type === "text").map((block) => block.text).join(""));
  const calls = blocks.filter((block) => block.type === "tool_use");
  expect(calls.length === (reply.tool ? 1 : 0), `${calls.length} tool calls`);
  if (reply.tool) sameTool(reply, calls[0].name, JSON.parse(calls[0].json));
  const stop = (events.at(-2)!.data.delta as Json).stop_reason;
  expect(stop === (reply.tool ? "tool_use" : "end_turn"), `stop_reason ${stop}`);
  return events.length;
}

function chatCompletion(body: Json, reply: Reply): void {
  const choice = (body.choices as Json[])[0];
  const message = choice.message as Json;
  sameText(reply, String(message.content ?? ""));
  const calls = (message.tool_calls ?? []) as Json[];
  expect(calls.length === (reply.tool ? 1 : 0), `${calls.length} tool calls`);
  if (reply.tool) {
    const fn = calls[0].function as Json;
    sameTool(reply, fn.name, JSON.parse(String(fn.arguments)));
  }
  expect(
    choice.finish_reason === (reply.tool ? "tool_calls" : "stop"),
    `finish_reason ${choice.finish_reason}`,
  );
}

function chatStream(text: string, reply: Reply): number {
  const all = frames(text);
  expect(all.at(-1)?.data === "[DONE]", "no [DONE] at the end");
  let content = "";
  let args = "";
  let name: unknown;
  const finishes: unknown[] = [];
  for (const frame of all.slice(0, -1)) {
    const chunk = JSON.parse(frame.data) as Json;
    expect(chunk.object === "chat.completion.chunk", `chunk object ${chunk.object}`);
    for (const choice of (chunk.choices ?? []) as Json[]) {
      const delta = (choice.delta ?? {}) as Json;
      if (typeof delta.content === "string") content += delta.content;
      for (const call of (delta.tool_calls ?? []) as Json[]) {
        expect(call.index === 0, `tool call index ${call.index}`);
        const fn = (call.function ?? {}) as Json;
        if (fn.name) name = fn.name;
        if (typeof fn.arguments === "string") args += fn.arguments;
      }
      if (choice.finish_reason) finishes.push(choice.finish_reason);
    }
  }
  sameText(reply, content);
  if (reply.tool) sameTool(reply, name, JSON.parse(args));
  else expect(name === undefined, "unexpected tool call");
  expect(finishes.length === 1 && finishes[0] === (reply.tool ? "tool_calls" : "stop"), `finish ${finishes}`);
  return all.length;
}

function responsesBody(body: Json, reply: Reply): void {
  expect(body.object === "response" && body.status === "completed", `response status ${body.status}`);
  const output = body.output as Json[];
  const texts = output.filter((item) => item.type === "message")
    .flatMap((item) => item.content as Json[]).map((part) => part.text).join("");
  sameText(reply, texts);
  const calls = output.filter((item) => item.type === "function_call");
  expect(calls.length === (reply.tool ? 1 : 0), `${calls.length} tool calls`);
  if (reply.tool) sameTool(reply, calls[0].name, JSON.parse(String(calls[0].arguments)));
}

function responsesStream(text: string, reply: Reply): number {
  const events = frames(text).map((frame) => JSON.parse(frame.data) as Json);
  expect(events[0]?.type === "response.created", `first event ${events[0]?.type}`);
  const last = events.at(-1)!;
  expect(last.type === "response.completed", `last event ${last.type}`);
  let content = "";
  let args = "";
  for (const event of events) {
    if (event.type === "response.output_text.delta") content += event.delta;
    if (event.type === "response.function_call_arguments.delta") args += event.delta;
  }
  sameText(reply, content);
  if (reply.tool) expect(isDeepStrictEqual(JSON.parse(args), reply.tool.input), "streamed arguments differ");
  responsesBody(last.response as Json, reply);
  return events.length;
}

/** Throws unless the answer is the scripted one; returns the number of events (1 for non-stream). */
export function checkResponse(client: ClientFormat, stream: boolean, text: string, reply: Reply): number {
  if (!stream) {
    const body = JSON.parse(text) as Json;
    if (client === "anthropic") anthropicMessage(body, reply);
    else if (client === "openai-chat") chatCompletion(body, reply);
    else responsesBody(body, reply);
    return 1;
  }
  if (client === "anthropic") return anthropicStream(text, reply);
  if (client === "openai-chat") return chatStream(text, reply);
  return responsesStream(text, reply);
}
