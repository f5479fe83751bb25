/**
 * Per-model request changes before the fit and the upstream call: `compactSystem` compaction (tokens saved go
 * to the request log) and the summary-format instruction for Claude Code's compaction request.
 */
import type { ResolvedModel } from "../catalog/types.ts";
import type { HubRequest } from "../hub/schema.ts";
import type { RequestRecord } from "../log/request_record.ts";
import { loadTokenizer } from "../tokens/tokenizer.ts";
import { compactSystemPrompt, systemTexts } from "./compact_system.ts";
import { isSummaryRequest, needsSummaryFormat, withSummaryFormat } from "./summary_request.ts";

/** The request as this model gets it; the same object when nothing applies. */
export async function prepareForModel(
  request: HubRequest,
  model: ResolvedModel,
  record?: RequestRecord,
): Promise<HubRequest> {
  let prepared = request;
  if (model.compactSystem) {
    const compacted = compactSystemPrompt(prepared).request;
    if (record) {
      const count = await loadTokenizer();
      record.compactSystemSavedTokens = systemTexts(prepared).reduce((sum, text) => sum + count(text), 0) -
        systemTexts(compacted).reduce((sum, text) => sum + count(text), 0);
    }
    prepared = compacted;
  }
  if (needsSummaryFormat(model) && isSummaryRequest(prepared)) {
    prepared = withSummaryFormat(prepared);
    if (record) record.summaryFormat = true;
  }
  return prepared;
}
