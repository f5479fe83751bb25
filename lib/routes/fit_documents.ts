/**
 * fitRequest, then documents made readable by the model it chose (lib/documents/), then fitRequest again when
 * that added images a text-only model cannot read: a scanned PDF's page images send the request to the vision
 * model (the `x-opencode-vision-reroute` header names both), and its context is checked with the images in.
 */
import type { ResolvedModel } from "../catalog/types.ts";
import { prepareDocuments } from "../documents/prepare_documents.ts";
import type { HubRequest } from "../hub/schema.ts";
import type { FetchCache } from "../web/fetch_cache.ts";
import {
  type FitOptions,
  fitRequest,
  type FittedRequest,
  hasImages,
  resolveVisionModel,
} from "./fit_request.ts";

export interface FitDocumentsOptions extends FitOptions {
  fetch: typeof fetch;
  signal?: AbortSignal;
  webFetchCache?: FetchCache;
}

/** The fitted request with documents converted; `documentsChanged` when the client's body no longer holds. */
export async function fitWithDocuments(
  hub: HubRequest,
  resolved: ResolvedModel,
  options: FitDocumentsOptions,
): Promise<FittedRequest & { documentsChanged: boolean }> {
  const fitOptions = { catalog: options.catalog, config: options.config };
  const fitted = await fitRequest(hub, resolved, fitOptions);
  const prepared = await prepareDocuments(fitted.request, fitted.model, {
    config: options.config,
    fetch: options.fetch,
    signal: options.signal,
    webFetchCache: options.webFetchCache,
    visionModel: () => resolveVisionModel(fitOptions).then((vision) => vision.upstreamModel, () => undefined),
  });
  if (prepared === fitted.request) return { ...fitted, documentsChanged: false };
  if (fitted.model.capabilities.image || !hasImages(prepared)) {
    return { ...fitted, request: prepared, documentsChanged: true };
  }
  const refitted = await fitRequest(prepared, fitted.model, fitOptions);
  return { ...refitted, headers: { ...fitted.headers, ...refitted.headers }, documentsChanged: true };
}
