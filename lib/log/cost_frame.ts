/**
 * OpenCode's own price of a request: the `cost` (string dollars) of the frame it appends after a stream
 * (`{"type":"ping","cost":"…"}` on Anthropic streams, `{"choices":[],"cost":"…"}` on OpenAI ones) or of a
 * non-stream answer. The frame is the upstream's last, so only the end of each read is looked at.
 */
const decoder = new TextDecoder();
/** Cost frames are ~40 bytes; the longest seen carry an id and model too. */
const TAIL_BYTES = 512;

/** A cost value as OpenCode sends it (string or number of dollars), or undefined when it is not one. */
export function parseCost(value: unknown): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) && number >= 0 ? number : undefined;
}

/**
 * The cost carried by the last `data:` line of a read that ends with a cost frame, if any.
 *
 * @example
 * ```ts
 * costInTail(new TextEncoder().encode('event: ping\ndata: {"type":"ping","cost":"0.0042"}\n\n')); // 0.0042
 * ```
 */
export function costInTail(chunk: Uint8Array): number | undefined {
  const text = decoder.decode(chunk.length > TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : chunk);
  const key = text.lastIndexOf('"cost"');
  if (key < 0) return undefined;
  const start = text.lastIndexOf("data:", key);
  if (start < 0) return undefined;
  const end = text.indexOf("\n", key);
  try {
    const frame = JSON.parse(text.slice(start + 5, end < 0 ? undefined : end));
    return typeof frame === "object" && frame !== null ? parseCost(frame.cost) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `costInTail` over a stream's reads, for a frame cut across two reads: a short read that holds no whole
 * cost frame is looked at again joined to the end of the read before it.
 */
export function costTail(): (chunk: Uint8Array) => number | undefined {
  let previous: Uint8Array | undefined;
  return (chunk) => {
    let cost = costInTail(chunk);
    if (cost === undefined && previous && chunk.length < TAIL_BYTES) {
      const kept = previous.subarray(Math.max(0, previous.length - (TAIL_BYTES - chunk.length)));
      const joined = new Uint8Array(kept.length + chunk.length);
      joined.set(kept);
      joined.set(chunk, kept.length);
      cost = costInTail(joined);
    }
    previous = chunk;
    return cost;
  };
}
