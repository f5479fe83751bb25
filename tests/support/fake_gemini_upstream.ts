/**
 * A fake Gemini upstream that validates requests the way the real service does (`x-goog-api-key`, the
 * `parameters` schema subset, thought signatures on replayed function calls with Google's documented dummy
 * signature accepted in their place, functionResponse turns that answer the preceding functionCall turn) and
 * answers with a scripted turn in CRLF-framed `alt=sse` chunks.
 */
import {
  byteChunks,
  type FakeUpstream,
  type RecordedRequest,
  sseResponse,
  startFakeUpstream,
} from "./fake_upstream.ts";

export interface GeminiTurn {
  thoughts?: string[];
  text?: string;
  /** Put a minted signature on the last text part (Gemini does this for plain answers). */
  signText?: boolean;
  calls?: { name: string; args: Record<string, unknown> }[];
  finishReason?: string;
  usage?: Record<string, unknown>;
}

export type GeminiReply = GeminiTurn | { chunks: unknown[] } | Response;

export interface FakeGeminiUpstream extends FakeUpstream {
  /** Signatures minted for function calls, keyed by `name(args JSON)`. */
  callSignatures: Map<string, string>;
}

type Json = Record<string, unknown>;

const allowedSchemaKeys = new Set([
  "type",
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "items",
  "minItems",
  "maxItems",
  "properties",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "anyOf",
  "propertyOrdering",
  "default",
  "example",
]);
const allowedFormats: Record<string, string[]> = {
  string: ["enum", "date-time"],
  number: ["float", "double"],
  integer: ["int32", "int64"],
};

const DEFAULT_USAGE = {
  promptTokenCount: 200,
  cachedContentTokenCount: 150,
  candidatesTokenCount: 20,
  thoughtsTokenCount: 10,
  totalTokenCount: 230,
};

function googleError(status: number, message: string, code = "INVALID_ARGUMENT"): Response {
  return Response.json({ error: { code: status, message, status: code } }, { status });
}

function callKey(call: Json): string {
  return `${call.name}(${JSON.stringify(call.args ?? {})})`;
}

function checkSchema(schema: unknown, at: string): string | undefined {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (!allowedSchemaKeys.has(key)) {
      return `Invalid JSON payload received. Unknown name "${key}" at '${at}': Cannot find field.`;
    }
    if (key === "format" && !allowedFormats[String((schema as Json).type)]?.includes(String(value))) {
      return `Invalid JSON payload received. Unsupported format "${value}" at '${at}'.`;
    }
    if (key === "type" && typeof value !== "string") return `Invalid value at '${at}.type'`;
    if (key === "enum" && !(value as unknown[]).every((entry) => typeof entry === "string")) {
      return `Invalid value at '${at}.enum': only strings are allowed`;
    }
  }
  const record = schema as Json;
  for (const [name, property] of Object.entries((record.properties ?? {}) as Json)) {
    const problem = checkSchema(property, `${at}.properties[${name}]`);
    if (problem) return problem;
  }
  for (const [index, variant] of ((record.anyOf ?? []) as unknown[]).entries()) {
    const problem = checkSchema(variant, `${at}.anyOf[${index}]`);
    if (problem) return problem;
  }
  return checkSchema(record.items, `${at}.items`);
}

const dataFields = ["text", "inlineData", "fileData", "functionCall", "functionResponse"];

/**
 * The dummy signatures Google documents for function calls Gemini did not make (history from another model):
 * the part skips validation.
 */
const SKIP_SIGNATURES = new Set(["skip_thought_signature_validator", "context_engineering_is_the_way_to_go"]);

function missingSignature(name: unknown, index: number): string {
  return `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${
    index + 1
  }.`;
}

/**
 * Where the current turn starts: after the last user content that is not function responses. Only its steps
 * (model contents) are validated, each on its first functionCall part, the one Gemini 3 signs.
 */
function currentTurnStart(contents: Json[]): number {
  return contents.findLastIndex((content) =>
    content.role === "user" && !(content.parts as Json[]).some((part) => part.functionResponse)
  ) + 1;
}

function checkContents(
  contents: Json[],
  signatures: Map<string, string>,
  minted: Set<string>,
): string | undefined {
  const turnStart = currentTurnStart(contents);
  for (const [index, content] of contents.entries()) {
    if (content.role !== "user" && content.role !== "model") {
      return `Please use a valid role: user, model. (contents[${index}].role: ${content.role})`;
    }
    const parts = content.parts as Json[];
    if (!Array.isArray(parts) || parts.length === 0) return `contents[${index}].parts must not be empty`;
    for (const part of parts) {
      if (dataFields.filter((field) => field in part).length !== 1) {
        return `contents[${index}]: a part must have exactly one data field`;
      }
      const signature = part.thoughtSignature;
      const skipped = part.functionCall !== undefined && SKIP_SIGNATURES.has(String(signature));
      if (signature !== undefined && !skipped && !minted.has(String(signature))) {
        return "Unable to submit request because the thought signature is corrupted.";
      }
      if (part.functionCall && !skipped) {
        const expected = signatures.get(callKey(part.functionCall as Json));
        if (expected !== undefined && signature !== expected) {
          return missingSignature((part.functionCall as Json).name, index);
        }
      }
    }
    const firstCall = parts.find((part) => part.functionCall);
    if (
      content.role === "model" && index >= turnStart && firstCall && firstCall.thoughtSignature === undefined
    ) {
      return missingSignature((firstCall.functionCall as Json).name, index);
    }
    const responses = parts.filter((part) => part.functionResponse);
    if (responses.length > 0) {
      const previous = contents[index - 1];
      const calls = previous?.role === "model"
        ? (previous.parts as Json[]).filter((part) => part.functionCall)
        : [];
      const callNames = calls.map((part) => (part.functionCall as Json).name);
      const responseNames = responses.map((part) => (part.functionResponse as Json).name);
      if (JSON.stringify(callNames) !== JSON.stringify(responseNames)) {
        return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.";
      }
    }
  }
  return undefined;
}

function validate(body: Json, signatures: Map<string, string>, minted: Set<string>): string | undefined {
  if (!Array.isArray(body.contents) || body.contents.length === 0) return "contents is not specified";
  const system = body.systemInstruction as Json | undefined;
  if (system && !(system.parts as Json[]).every((part) => typeof part.text === "string")) {
    return "systemInstruction parts must be text";
  }
  for (const [toolIndex, tool] of ((body.tools ?? []) as Json[]).entries()) {
    for (const [index, declaration] of ((tool.functionDeclarations ?? []) as Json[]).entries()) {
      const problem = checkSchema(
        declaration.parameters,
        `tools[${toolIndex}].function_declarations[${index}].parameters`,
      );
      if (problem) return problem;
    }
  }
  const config = body.generationConfig as Json | undefined;
  if (config && "maxOutputTokens" in config && typeof config.maxOutputTokens !== "number") {
    return "generationConfig.maxOutputTokens must be a number";
  }
  return checkContents(body.contents as Json[], signatures, minted);
}

function sign(minted: Set<string>): string {
  const signature = btoa(`sig-${crypto.randomUUID()}`);
  minted.add(signature);
  return signature;
}

function turnChunks(turn: GeminiTurn, signatures: Map<string, string>, minted: Set<string>): Json[] {
  const chunks: Json[] = [];
  const chunk = (parts: Json[]) => ({ candidates: [{ content: { role: "model", parts }, index: 0 }] });
  for (const thought of turn.thoughts ?? []) chunks.push(chunk([{ text: thought, thought: true }]));
  if (turn.text) {
    const half = Math.ceil(turn.text.length / 2);
    chunks.push(chunk([{ text: turn.text.slice(0, half) }]), chunk([{ text: turn.text.slice(half) }]));
    if (turn.signText) chunks.push(chunk([{ text: "", thoughtSignature: sign(minted) }]));
  }
  if (turn.calls && turn.calls.length > 0) {
    // Only the first of parallel calls carries a signature, as on Gemini 3.
    chunks.push(chunk(turn.calls.map((call, index) => {
      const part: Json = { functionCall: { name: call.name, args: call.args } };
      if (index === 0) {
        part.thoughtSignature = sign(minted);
        signatures.set(callKey(part.functionCall as Json), String(part.thoughtSignature));
      }
      return part;
    })));
  }
  chunks.push({
    candidates: [{
      content: { role: "model", parts: [{ text: "" }] },
      finishReason: turn.finishReason ?? "STOP",
      index: 0,
    }],
    usageMetadata: turn.usage ?? DEFAULT_USAGE,
    modelVersion: "gemini-fake",
  });
  return chunks;
}

/** Google frames `alt=sse` events with CRLF. */
export function geminiFrames(chunks: unknown[]): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`).join("");
}

export function startFakeGeminiUpstream(
  reply: (body: Json, turn: number) => GeminiReply,
  options: { key?: string } = {},
): FakeGeminiUpstream {
  const key = options.key ?? "test-key";
  const callSignatures = new Map<string, string>();
  const minted = new Set<string>();
  let turn = 0;
  const upstream = startFakeUpstream((request: RecordedRequest) => {
    if (!/\/models\/[^/]+:streamGenerateContent$/.test(request.path)) {
      return googleError(404, `Unknown path ${request.path}`, "NOT_FOUND");
    }
    if (request.headers.get("x-goog-api-key") !== key) {
      return googleError(400, "API key not valid. Please pass a valid API key.");
    }
    const body = request.body as Json;
    const problem = validate(body, callSignatures, minted);
    if (problem) return googleError(400, problem);
    const answer = reply(body, turn++);
    if (answer instanceof Response) return answer;
    const chunks = "chunks" in answer ? answer.chunks : turnChunks(answer, callSignatures, minted);
    return sseResponse(byteChunks(geminiFrames(chunks), 13));
  });
  return Object.assign(upstream, { callSignatures });
}
