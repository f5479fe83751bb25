/** Frame helpers both OpenAI pass-through filters use: the model renamed without parsing, a frame parsed safely. */

/** Replaces the first `"model":"<upstream>"` with the client's name, without parsing the frame. */
export function modelRenamer(
  upstreamModel: string,
  clientModel: string,
): (data: string) => string | undefined {
  if (clientModel === upstreamModel) return () => undefined;
  const from = `"model":${JSON.stringify(upstreamModel)}`;
  const to = `"model":${JSON.stringify(clientModel)}`;
  return (data) => (data.includes(from) ? data.replace(from, to) : undefined);
}

/** A JSON object, or undefined for anything else (a malformed frame is forwarded as it came). */
export function parseObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}
