/** OpenAI's JSON output modes (`response_format`, `text.format`), which the hub has no field for. */

/** JSON output modes have no hub field; an instruction keeps the intent on every upstream. */
export function jsonFormatNote(
  format: { type: string; json_schema?: { schema?: unknown }; schema?: unknown } | null | undefined,
): string | undefined {
  if (!format || format.type === "text") return undefined;
  const schema = format.json_schema?.schema ?? format.schema;
  if (format.type === "json_schema" && schema !== undefined) {
    return `Respond only with a JSON value that matches this JSON Schema, without any other text:\n${
      JSON.stringify(schema)
    }`;
  }
  return "Respond only with a valid JSON object, without any other text.";
}
