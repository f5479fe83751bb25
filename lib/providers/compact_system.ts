/**
 * Rule-based compaction of a coding agent's system prompt for models whose context window is far below it
 * (a provider model's `compactSystem: true`). It only removes: examples (`<example>` blocks, fenced samples,
 * "e.g." asides, `Examples:`/`Triggers on:` lists), the long tail of catalogue entries (a `- name: …` skill or
 * agent entry keeps its first sentence) and guidance repeated word for word. Tool definitions are never
 * touched, nor any line that states a rule about tools (it names a tool or says IMPORTANT/MUST/NEVER).
 */
import type { HubRequest } from "../hub/schema.ts";

const exampleBlock = /<((?:good-|bad-)?examples?)>[\s\S]*?<\/\1>\s*/gi;
/** A fenced block right after a line that calls it an example (a fenced format spec stays). */
const fencedExample = /^([^\n]*\bexamples?\b[^\n]*:?[ \t]*\n)```[^\n]*\n[\s\S]*?\n```[ \t]*\n?/gim;
const exampleAside = /\s*\((?:e\.g\.|eg\.|for example|such as)[^()]*\)/gi;
const exampleList = /(?:^|(?<=[.!?]))[ \t]*(?:Examples?|Triggers on|For example):[^\n]*/gim;
/** `- name: description` where name is one token (a skill, an agent type, a setting). */
const catalogueEntry = /^(\s*- [\w.:/-]{1,60}: )(.*)$/;
const ruleWords = /\b(IMPORTANT|MUST|NEVER|CRITICAL)\b/;

/** Compacts one text: the rules above, applied in order. `seen` carries repeated-guidance state across texts. */
export function compactText(text: string, seen: Set<string>, toolNames: ReadonlySet<string>): string {
  let out = text.replace(exampleBlock, "").replace(fencedExample, "$1");
  out = out.split("\n").map((line) => compactLine(line, keepsRule(line, toolNames))).join("\n");
  out = dropContinuations(out);
  const paragraphs = out.split(/\n{2,}/).filter((paragraph) => {
    const key = paragraph.replace(/\s+/g, " ").trim().toLowerCase();
    if (key === "") return false;
    // Short lines (headings, "---") repeat legitimately.
    if (key.length < 40) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return paragraphs.join("\n\n").replace(/[ \t]+$/gm, "");
}

function keepsRule(line: string, toolNames: ReadonlySet<string>): boolean {
  if (ruleWords.test(line)) return true;
  for (const name of toolNames) if (name.length > 2 && line.includes(name)) return !catalogueEntry.test(line);
  return false;
}

/** A rule line loses only its examples; any other catalogue entry is also cut to its first sentence. */
function compactLine(line: string, isRule: boolean): string {
  let out = line.replace(exampleAside, "").replace(exampleList, "").trimEnd();
  const entry = isRule ? null : catalogueEntry.exec(out);
  if (entry && entry[2].length > 160) out = `${entry[1]}${firstSentence(entry[2])}`;
  return out;
}

/** Up to the first full stop; a sentence still over 200 characters ends at its first clause after 60. */
function firstSentence(text: string): string {
  const sentence = /^.{20,}?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  if (sentence.length <= 200) return sentence;
  const clause = /^.{60,}?(?=[,;:—–] )/.exec(sentence)?.[0];
  return clause && clause.length <= 200 ? `${clause}.` : sentence;
}

/**
 * Unbulleted lines straight after a shortened catalogue entry belong to it (`TRIGGER — …`): dropped with its
 * tail, unless they state a rule in capitals (IMPORTANT, MUST, NEVER).
 */
function dropContinuations(text: string): string {
  const lines = text.split("\n");
  const kept: string[] = [];
  let inEntry = false;
  for (const line of lines) {
    if (catalogueEntry.test(line)) inEntry = true;
    else if (line.trim() === "" || /^\s*[-*#]/.test(line)) inEntry = false;
    else if (inEntry && !ruleWords.test(line)) continue;
    kept.push(line);
  }
  return kept.join("\n");
}

export interface CompactedRequest {
  request: HubRequest;
  /** Characters removed (tokens are counted by the caller, which has the tokenizer). */
  removedChars: number;
}

/** The request with its system blocks and `role:"system"` messages compacted; tools and turns untouched. */
export function compactSystemPrompt(request: HubRequest): CompactedRequest {
  const seen = new Set<string>();
  const toolNames = new Set((request.tools ?? []).map((tool) => tool.name));
  let removed = 0;
  const compact = (text: string) => {
    const out = compactText(text, seen, toolNames);
    removed += text.length - out.length;
    return out;
  };
  const system = typeof request.system === "string"
    ? compact(request.system)
    : request.system?.map((block) => ({ ...block, text: compact(block.text) }));
  const messages = request.messages.map((message) => {
    if (message.role !== "system") return message;
    if (typeof message.content === "string") return { ...message, content: compact(message.content) };
    return {
      ...message,
      content: message.content.map((block) =>
        block.type === "text" ? { ...block, text: compact(block.text) } : block
      ),
    };
  });
  return { request: { ...request, system, messages }, removedChars: removed };
}

/** The texts compaction works on: the system blocks and the `role:"system"` messages' text. */
export function systemTexts(request: HubRequest): string[] {
  const texts = typeof request.system === "string"
    ? [request.system]
    : (request.system ?? []).map((b) => b.text);
  for (const message of request.messages) {
    if (message.role !== "system") continue;
    if (typeof message.content === "string") texts.push(message.content);
    else for (const block of message.content) if (block.type === "text") texts.push(block.text);
  }
  return texts;
}
