/**
 * Bench fixtures for streaming paths: a realistic recorded-shape chat-completions stream, cut into upstream
 * reads of N events, plus a median/per-chunk summary that `deno bench` itself does not print.
 */

const encoder = new TextEncoder();

export interface ChatStreamFixture {
  /** One `data: …\n\n` frame per upstream chunk, ending with `data: [DONE]`. */
  frames: string[];
  /** Upstream chunks that carry content (all frames but `[DONE]`). */
  chunkCount: number;
  /** What the tool call's argument fragments join into. */
  toolArguments: string;
  /** Text and reasoning as they must reach the client. */
  text: string;
  reasoning: string;
}

// Multi-byte on purpose (2-, 3- and 4-byte UTF-8), so reads cut through characters as real ones do.
const WORDS = ["stream ", "déjà ", "vu — ", "naïve ", "你好 ", "世界 ", "🚀 ", "token ", "über ", "ok. "];

/**
 * A Kimi-like chat stream of `reasoningChunks + textChunks + argumentChunks + 4` chunks: role, reasoning
 * deltas, text deltas, a tool call whose arguments arrive in small fragments, the finish and the usage chunk.
 */
export function buildChatStream(
  { reasoningChunks = 600, textChunks = 1_000, argumentChunks = 396 } = {},
): ChatStreamFixture {
  const base = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: 1_763_700_000,
    model: "kimi-k2.6",
  };
  const frame = (object: unknown) => `data: ${JSON.stringify(object)}\n\n`;
  const delta = (value: Record<string, unknown>, finish: string | null = null) =>
    frame({ ...base, choices: [{ index: 0, delta: value, finish_reason: finish }] });
  const frames = [delta({ role: "assistant", content: "" })];
  let reasoning = "";
  for (let index = 0; index < reasoningChunks; index++) {
    const piece = WORDS[index % WORDS.length] + (index % 7 === 0 ? "\n" : "");
    reasoning += piece;
    frames.push(delta({ reasoning_content: piece }));
  }
  let text = "";
  for (let index = 0; index < textChunks; index++) {
    const piece = WORDS[(index * 3) % WORDS.length];
    text += piece;
    frames.push(delta({ content: piece }));
  }
  const content = WORDS.join("").repeat(Math.ceil(argumentChunks * 8 / WORDS.join("").length));
  const toolArguments = JSON.stringify({ file_path: "/tmp/project/notes.md", content });
  frames.push(delta({
    tool_calls: [{
      index: 0,
      id: "call_bench_0",
      type: "function",
      function: { name: "Write", arguments: "" },
    }],
  }));
  for (let piece = 0; piece < argumentChunks; piece++) {
    const fragment = toolArguments.slice(
      Math.floor(piece * toolArguments.length / argumentChunks),
      Math.floor((piece + 1) * toolArguments.length / argumentChunks),
    );
    frames.push(delta({ tool_calls: [{ index: 0, function: { arguments: fragment } }] }));
  }
  frames.push(delta({}, "tool_calls"));
  frames.push(frame({
    ...base,
    choices: [],
    usage: { prompt_tokens: 18_000, completion_tokens: 2_000, total_tokens: 20_000, cached_tokens: 16_000 },
  }));
  const chunkCount = frames.length;
  frames.push("data: [DONE]\n\n");
  return { frames, chunkCount, toolArguments, text, reasoning };
}

/** The frames as upstream reads of `eventsPerRead` whole events each, encoded once up front. */
export function groupReads(frames: string[], eventsPerRead: number): Uint8Array[] {
  const reads: Uint8Array[] = [];
  for (let index = 0; index < frames.length; index += eventsPerRead) {
    reads.push(encoder.encode(frames.slice(index, index + eventsPerRead).join("")));
  }
  return reads;
}

/** A body that hands out the given reads one per pull, like a socket that always has data ready. */
export function bodyOf(reads: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < reads.length) controller.enqueue(reads[index++]);
      else controller.close();
    },
  }, { highWaterMark: 0 });
}

/** Reads a stream to the end and returns its byte count (what a client socket would receive). */
export async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.length;
  return bytes;
}

/** Wall-clock samples per bench name, for a median summary printed when `deno bench` unloads the module. */
export class MedianReport {
  #samples = new Map<string, number[]>();
  #rows: { group: string; name: string; baseline?: boolean; chunks: number }[] = [];

  /** Registers a row and returns a timed wrapper for the bench body. */
  track(
    row: { group: string; name: string; baseline?: boolean; chunks: number },
    fn: () => Promise<unknown>,
  ): () => Promise<void> {
    this.#rows.push(row);
    const samples: number[] = [];
    this.#samples.set(row.name, samples);
    return async () => {
      const started = performance.now();
      await fn();
      samples.push(performance.now() - started);
    };
  }

  /** Markdown table: median ms per run, µs per streamed chunk, and the ratio to the group's baseline. */
  render(): string {
    const median = (name: string) => {
      const sorted = [...this.#samples.get(name) ?? []].sort((a, b) => a - b);
      return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
    };
    const lines = [
      "| group | bench | runs | median per run | µs per chunk | × raw pipe |",
      "|---|---|---:|---:|---:|---:|",
    ];
    for (const row of this.#rows) {
      const baseline = this.#rows.find((candidate) => candidate.group === row.group && candidate.baseline);
      const ms = median(row.name);
      const ratio = baseline ? ms / median(baseline.name) : NaN;
      lines.push(
        `| ${row.group} | ${row.name} | ${this.#samples.get(row.name)?.length ?? 0} | ${ms.toFixed(3)} ms | ${
          (ms * 1000 / row.chunks).toFixed(2)
        } | ${ratio.toFixed(1)} |`,
      );
    }
    return lines.join("\n");
  }
}
