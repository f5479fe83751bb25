/**
 * `document` blocks, in user turns and inside tool results, made readable by the answering model. A model
 * whose catalog metadata accepts PDF input keeps the PDF (its format folder sends it natively: Responses
 * `input_file`, Gemini `inlineData`, Anthropic `document`, chat `file`); every other model gets the PDF's text
 * (pdf_text.ts), and its pages without a text layer as images when this model or the vision model reads them
 * (pdf_blocks.ts). Text and content-block documents become plain blocks for every family but Anthropic's. A URL
 * PDF is fetched by the gateway's safe fetcher (public addresses only) unless the upstream takes URLs itself.
 */
import type { ResolvedModel } from "../catalog/types.ts";
import { GatewayError } from "../errors/gateway_error.ts";
import type { HubContentBlock, HubMessage, HubRequest } from "../hub/schema.ts";
import { decodeBase64, encodeBase64 } from "./base64.ts";
import { pdfTextInWorker, pdfWorkerLimits } from "./pdf_text_in_worker.ts";
import type { ImageLimits } from "./page_images.ts";
import { pdfBlocks } from "./pdf_blocks.ts";
import { type DocumentOptions, fetchPdf } from "./fetch_pdf.ts";

type Block = HubContentBlock;
type DocumentBlock = Extract<Block, { type: "document" }>;
type ResultPart = Exclude<Extract<Block, { type: "tool_result" }>["content"], string | undefined>[number];

function hasDocuments(request: HubRequest): boolean {
  return request.messages.some((message) =>
    typeof message.content !== "string" && message.content.some((block) =>
      block.type === "document" ||
      (block.type === "tool_result" && Array.isArray(block.content) &&
        block.content.some((part) => part.type === "document"))
    )
  );
}

export async function prepareDocuments(
  request: HubRequest,
  model: ResolvedModel,
  options: DocumentOptions,
): Promise<HubRequest> {
  if (!hasDocuments(request)) return request;
  const messages: HubMessage[] = [];
  for (const [index, message] of request.messages.entries()) {
    if (typeof message.content === "string") {
      messages.push(message);
      continue;
    }
    const content: Block[] = [];
    for (const block of message.content) {
      if (block.type === "document") {
        content.push(...await convert(block, model, options, `messages.${index}`));
      } else if (block.type === "tool_result" && Array.isArray(block.content)) {
        const parts: ResultPart[] = [];
        for (const part of block.content) {
          if (part.type === "document") {
            parts.push(...await convert(part, model, options, `messages.${index}`) as ResultPart[]);
          } else parts.push(part);
        }
        content.push({ ...block, content: parts });
      } else content.push(block);
    }
    messages.push({ ...message, content });
  }
  return { ...request, messages };
}

async function convert(
  block: DocumentBlock,
  model: ResolvedModel,
  options: DocumentOptions,
  where: string,
): Promise<(Block & { type: "text" | "image" | "document" })[]> {
  const source = block.source as Record<string, unknown>;
  const title = typeof block.title === "string" && block.title ? block.title : null;
  const native = model.capabilities.pdf;
  const anthropic = model.family === "anthropic";
  if (source.type === "text" && typeof source.data === "string") {
    if (anthropic) return [block];
    return [{ type: "text", text: title ? `[Document "${title}"]\n${source.data}` : source.data }];
  }
  if (source.type === "content") {
    if (anthropic) return [block];
    const parts = typeof source.content === "string"
      ? [{ type: "text" as const, text: source.content }]
      : (source.content as (Block & { type: "text" | "image" })[]);
    return title ? [{ type: "text", text: `[Document "${title}"]` }, ...parts] : parts;
  }
  const isPdf = source.media_type === undefined || source.media_type === "application/pdf";
  if (!isPdf && !(native && source.type === "base64")) {
    throw new GatewayError(
      "invalid_request_error",
      `${where}: document media_type ${source.media_type} is not supported`,
    );
  }
  let bytes: Uint8Array;
  if (source.type === "base64" && typeof source.data === "string") {
    if (native) return [block];
    try {
      bytes = decodeBase64(source.data);
    } catch {
      throw new GatewayError("invalid_request_error", `${where}: document data is not valid base64`);
    }
  } else if (source.type === "url" && typeof source.url === "string") {
    if (native && anthropic) return [block];
    bytes = await fetchPdf(source.url, options);
    if (native) {
      return [{
        ...block,
        source: { type: "base64", media_type: "application/pdf", data: encodeBase64(bytes) },
      }];
    }
  } else {
    // file ids and unknown sources: the upstream format answers them (usually a 400 naming the source).
    return [block];
  }
  // Pages without a text layer come back as images only when something reads them: this model or the vision
  // model the request is then re-routed to (routes/fit_documents.ts).
  const readsImages = model.capabilities.image || await options.visionModel?.() !== undefined;
  const images = readsImages ? pageImageLimits(options.config) : undefined;
  const limits = pdfWorkerLimits(options.config);
  const extracted = await pdfTextInWorker(bytes, limits, title, options.signal, images);
  return pdfBlocks(extracted, images);
}

function pageImageLimits(config: DocumentOptions["config"]): ImageLimits {
  return {
    maxPages: config.PDF_IMAGE_MAX_PAGES,
    maxEdge: config.PDF_IMAGE_MAX_EDGE,
    maxBytes: config.PDF_IMAGE_MAX_BYTES,
    // The rest of the time limit covers the page in progress (about a second for a 300-dpi page), the reply
    // and the worker's start, so a long scan answers with the pages done instead of failing.
    budgetMs: Math.floor(config.PDF_EXTRACT_TIMEOUT_MS * 0.6),
  };
}
