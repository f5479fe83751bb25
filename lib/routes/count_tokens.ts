/**
 * `POST /v1/messages/count_tokens`: `{"input_tokens": N}` from the local tokenizer. Claude Code's `/context`
 * fires ~26 of these at once, so it never calls an upstream; the model is resolved only so an unknown name is
 * the same 404 as on `/v1/messages`.
 */
import { toGatewayError } from "../errors/gateway_error.ts";
import { parseAnthropicCountTokensRequest } from "../formats/anthropic/client.ts";
import { resolveUpstreamKey } from "../http/auth.ts";
import { readJson } from "../http/read_json.ts";
import { countRequestTokens } from "../tokens/count_tokens.ts";
import type { RouteContext } from "./context.ts";

export async function handleCountTokens(request: Request, context: RouteContext): Promise<Response> {
  try {
    // Only a gateway key is checked: counting needs no upstream key.
    if (context.config.GATEWAY_KEYS?.length) resolveUpstreamKey(request.headers, context.config);
    const body = parseAnthropicCountTokensRequest(await readJson(request, context.config.BODY_LIMIT_BYTES));
    await context.catalog.resolve(context.pathModel ?? body.model, {
      service: context.service,
      fromPath: context.pathModel !== undefined,
    });
    return Response.json({ input_tokens: await countRequestTokens(body) });
  } catch (error) {
    return context.client.renderError(toGatewayError(error));
  }
}
