/**
 * Gemini `alt=sse` chunks → hub events. Thought parts become thinking; function calls arrive whole and become
 * tool_use blocks with generated ids; `thoughtSignature`s are carried in gateway-minted thinking signatures.
 */
import type { HubStreamBuilder } from "../../hub/stream_builder.ts";
import type { SseEvent } from "../../sse/sse_decoder.ts";
import type { StreamToHub, UpstreamCall } from "../../hub/wire_format.ts";
import { geminiUsageToHub } from "./convert_usage.ts";
import { geminiErrorToHub } from "./error_to_hub.ts";
import { geminiStopReasonToHub } from "./map_stop_reason.ts";
import { type GeminiChunk, geminiChunkSchema, type GeminiResponsePart } from "./response_schema.ts";
import { encodeThoughtSignature } from "./thought_signature.ts";

/** `toolu_gm_<n>_<random>`: Gemini calls have no id; the counter keeps parallel calls of one name apart. */
function toolId(counter: number): string {
  return `toolu_gm_${counter}_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

export function geminiStreamToHub(builder: HubStreamBuilder, call: UpstreamCall): StreamToHub {
  const model = call.model.upstreamModel;
  let toolCount = 0;
  let usage: GeminiChunk["usageMetadata"];
  let sawText = false;
  /** A text signature that arrived after the answer's text had started: only sent with tool calls. */
  let lateTextSignature: string | undefined;

  function functionCall(part: GeminiResponsePart & { functionCall: { name: string } }): void {
    // The signature travels just before the call it belongs to, so the next turn can put it back there.
    if (part.thoughtSignature) {
      builder.signature(
        encodeThoughtSignature({ model, thoughtSignature: part.thoughtSignature, target: "functionCall" }),
      );
    }
    const index = builder.toolStart(toolId(++toolCount), part.functionCall.name);
    builder.toolArguments(index, JSON.stringify(part.functionCall.args ?? {}));
    builder.closeBlock();
  }

  function textSignature(signature: string): void {
    if (sawText) {
      lateTextSignature = signature;
      return;
    }
    // Before the answer starts, the signature can still precede the text it belongs to.
    builder.signature(encodeThoughtSignature({ model, thoughtSignature: signature, target: "text" }));
  }

  function handlePart(part: GeminiResponsePart): void {
    if (part.functionCall) return functionCall({ ...part, functionCall: part.functionCall });
    if (part.thought) {
      if (part.text) builder.thinking(part.text);
      if (part.thoughtSignature) textSignature(part.thoughtSignature);
      return;
    }
    if (part.thoughtSignature) textSignature(part.thoughtSignature);
    if (!part.text) return;
    sawText = true;
    builder.text(part.text);
  }

  function finish(reason: string): void {
    // After a plain answer a signature block would be the message's last block, which `claude -p` prints as
    // the result (an empty line); Gemini does not require text signatures back, so it is dropped there.
    if (lateTextSignature && builder.sawToolUse) {
      builder.signature(
        encodeThoughtSignature({ model, thoughtSignature: lateTextSignature, target: "text" }),
      );
    }
    if (reason === "MALFORMED_FUNCTION_CALL" && !builder.sawContent) {
      // An empty end_turn would leave Claude Code with nothing to show; an error lets it retry.
      return builder.fail(
        "api_error",
        "Gemini produced a malformed function call (finishReason MALFORMED_FUNCTION_CALL)",
      );
    }
    builder.finish(
      geminiStopReasonToHub(reason, { sawFunctionCall: builder.sawToolUse }),
      geminiUsageToHub(usage),
    );
  }

  function handle(chunk: GeminiChunk): void {
    if (chunk.error) {
      const error = geminiErrorToHub(chunk.error);
      return builder.fail(error.kind, error.message);
    }
    builder.start();
    if (chunk.usageMetadata) usage = chunk.usageMetadata;
    const candidate = chunk.candidates?.[0];
    if (!candidate) {
      // A blocked prompt: no candidates, only promptFeedback.
      if (chunk.promptFeedback?.blockReason) builder.finish("refusal", geminiUsageToHub(usage));
      return;
    }
    for (const part of candidate.content?.parts ?? []) handlePart(part);
    // Usage rides on the same last chunk as finishReason, so the message can end right here.
    if (candidate.finishReason) finish(candidate.finishReason);
  }

  return {
    push(sse: SseEvent): void {
      if (sse.data === "[DONE]" || sse.data.trim() === "") return;
      handle(geminiChunkSchema.parse(JSON.parse(sse.data)));
    },
  };
}
