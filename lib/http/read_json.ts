/** Reads a JSON request body with a size cap enforced while reading (413 before the whole body arrives). */
import { GatewayError } from "../errors/gateway_error.ts";
import { recordFor } from "../log/request_record.ts";
import { readBeforeDeadline } from "./body_deadline.ts";
import { concatBytes } from "../stream/concat_bytes.ts";
import { DEFAULT_JSON_MAX_DEPTH } from "../config.ts";
import { jsonNestsDeeperThan, tooDeep } from "../hub/json_depth.ts";

const decoder = new TextDecoder();

export async function readJson(
  request: Request,
  limitBytes: number,
  maxDepth: number = DEFAULT_JSON_MAX_DEPTH,
): Promise<unknown> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  if (!request.body) {
    throw new GatewayError("invalid_request_error", "Request body is empty: a JSON object is required");
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { value, done } = await readBeforeDeadline(request, reader);
    if (done) break;
    size += value.length;
    if (size > limitBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  const bytes = concatBytes(chunks);
  if (jsonNestsDeeperThan(bytes, maxDepth)) throw tooDeep(maxDepth, "Request body");
  const text = decoder.decode(bytes);
  if (text.trim() === "") {
    throw new GatewayError("invalid_request_error", "Request body is empty: a JSON object is required");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GatewayError(
      "invalid_request_error",
      `Request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new GatewayError("invalid_request_error", "Request body must be a JSON object");
  }
  const record = recordFor(request);
  if (record?.keepBodies) record.requestBody = json;
  return json;
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError("request_too_large", `Request body exceeds the gateway limit of ${limit} bytes`);
}
