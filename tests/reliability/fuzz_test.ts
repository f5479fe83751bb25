// Fuzz: 10,000 generated and mutated requests through the whole handler against an upstream that answers
// well, badly, late or not at all. No 5xx may be the gateway's own fault, no stream may be malformed, and
// no promise rejection may go unhandled.
import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { Family } from "../../lib/catalog/types.ts";
import type { HubRequest } from "../../lib/hub/schema.ts";
import { hubGrammarViolations, readAnthropicSse } from "../support/check_hub_grammar.ts";
import { hubRequestArbitrary, wellFormedRequestArbitrary } from "../support/hub_arbitraries.ts";
import {
  familyOfUrl,
  hangUntilAborted,
  makeGateway,
  opencodeError,
  reliabilityModels,
  streamResponse,
} from "../support/reliability_harness.ts";
import {
  garbageFrame,
  mutateFrames,
  type Mutation,
  mutationsArbitrary,
  renderScript,
  type Script,
  scriptArbitrary,
} from "../support/upstream_scripts.ts";

const TOTAL = Number(Deno.env.get("FUZZ_TOTAL") ?? 10_000);
const CONCURRENCY = 48;
const SEED = 20_261_121;

type Scenario =
  | "valid"
  | "mutated"
  | "http_error"
  | "network_error"
  | "hang"
  | "stall"
  | "empty"
  | "html";
const scenarios: [Scenario, number][] = [
  ["valid", 50],
  ["mutated", 16],
  ["http_error", 12],
  ["network_error", 5],
  ["hang", 3],
  ["stall", 4],
  ["empty", 5],
  ["html", 5],
];

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
function weighted<T>(items: [T, number][]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rng() * total;
  for (const [item, weight] of items) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return items[0][0];
}

const samples = <T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number) =>
  fc.sample(arbitrary, { numRuns: count, seed });
const loose = samples(hubRequestArbitrary, 3_000, SEED);
const wellFormed = samples(wellFormedRequestArbitrary, 3_000, SEED + 1);
const scripts = samples(scriptArbitrary, 500, SEED + 2);
const mutationSets = samples(mutationsArbitrary.filter((list) => list.length > 0), 500, SEED + 3);
const garbage = samples(garbageFrame, 200, SEED + 4);
const modelNames = [...reliabilityModels.map((model) => model.id), "no-such-model", "claude-opus-4-7", ""];

/** Replaces, deletes or retypes one random node of a JSON value. */
function mutateJson(value: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 6 || node === null || typeof node !== "object") return;
    for (const key of Object.keys(node)) {
      const holder = node as Record<string, unknown>;
      nodes.push([holder, Array.isArray(node) ? Number(key) : key]);
      walk(holder[key], depth + 1);
    }
  };
  walk(copy, 0);
  if (nodes.length === 0) return copy;
  const [holder, key] = pick(nodes);
  const replacement = pick<() => unknown>([
    () => undefined,
    () => null,
    () => 42,
    () => -1,
    () => 1e308,
    () => "",
    () => "x".repeat(2000),
    () => true,
    () => [],
    () => ({}),
    () => [null],
    () => ({ type: "unknown_future_block" }),
    () => "\ud800",
  ])();
  if (replacement === undefined) {
    if (Array.isArray(holder)) holder.splice(key as number, 1);
    else delete (holder as Record<string, unknown>)[key as string];
  } else (holder as Record<string, unknown>)[key as string] = replacement;
  if (rng() < 0.3) {
    copy[pick(["x_new", "betas", "context_management", "speed"])] = pick([1, "a", null, { a: 1 }]);
  }
  return copy;
}

/** Cuts, corrupts or replaces the JSON text. */
function mutateText(text: string): string | Uint8Array<ArrayBuffer> {
  switch (Math.floor(rng() * 6)) {
    case 0:
      return text.slice(0, Math.floor(rng() * text.length));
    case 1: {
      const bytes = new TextEncoder().encode(text);
      for (let flips = 0; flips < 3; flips++) {
        bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256);
      }
      return bytes;
    }
    case 2:
      return pick(["", " ", "null", "[]", "1", '"x"', "{}", "{{}", "\u0000\u0001", "<html>"]);
    case 3:
      return text + pick(["}", ",", "garbage", "\u0000"]);
    case 4:
      return text.replace(/"/, "'");
    default:
      return new Uint8Array([0xff, 0xfe, 0x00, 0x7b]);
  }
}

/** Everything the fake upstream will do for a request, drawn up front so a seed replays the same run. */
interface UpstreamPlan {
  script: Script;
  mutations: Mutation[];
  garbage?: string;
  /** Which error answer, for http_error. */
  variant: number;
}

interface Planned {
  upstream: UpstreamPlan;
  id: number;
  scenario: Scenario;
  request: Request;
  /** The client is an Anthropic one on /v1/messages (its stream is checked against the hub grammar). */
  anthropic: boolean;
  stream: boolean;
}

function planRequest(id: number): Planned {
  const base = structuredClone(rng() < 0.6 ? pick(wellFormed) : pick(loose)) as
    & HubRequest
    & Record<string, unknown>;
  base.model = rng() < 0.9 ? pick(modelNames.slice(0, reliabilityModels.length)) : pick(modelNames);
  const stream = rng() < 0.5;
  base.stream = stream;
  const headers = new Headers({
    "content-type": "application/json",
    "x-claude-code-session-id": `fuzz-${id}`,
  });
  if (rng() < 0.97) {
    if (rng() < 0.5) headers.set("x-api-key", "sk-fuzz");
    else headers.set("authorization", "Bearer sk-fuzz");
  }
  let path = "/v1/messages";
  let method = "POST";
  let body: string | Uint8Array<ArrayBuffer> | undefined = JSON.stringify(base);
  const roll = rng();
  if (roll < 0.3) body = JSON.stringify(mutateJson(base));
  else if (roll < 0.4) body = mutateText(body);
  else if (roll < 0.43) {
    path = pick([
      "/v1/chat/completions",
      "/v1/responses",
      "/v1/messages/count_tokens",
      "/v2/x",
      "/go/v1/messages",
    ]);
  } else if (roll < 0.45) method = pick(["GET", "PUT", "DELETE", "PATCH"]);
  else if (roll < 0.46) headers.set("content-length", String(1 << 30));
  if (path === "/v1/chat/completions" && rng() < 0.8) {
    body = JSON.stringify({
      model: base.model,
      stream,
      messages: [{ role: "user", content: "hi" }, ...(rng() < 0.5 ? [{ role: "tool", content: 5 }] : [])],
    });
  }
  if (method === "GET") body = undefined;
  return {
    id,
    scenario: weighted(scenarios),
    upstream: {
      script: pick(scripts),
      mutations: pick(mutationSets),
      garbage: rng() < 0.3 ? pick(garbage) : undefined,
      variant: Math.floor(rng() * 9),
    },
    request: new Request(`http://gateway.test${path}`, { method, headers, body }),
    anthropic: path === "/v1/messages" || path === "/go/v1/messages",
    stream,
  };
}

/** A non-streaming Chat Completions answer, for the Chat passthrough's non-stream calls. */
function chatCompletion(model: string): Response {
  return Response.json({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  });
}

function upstreamAnswer(
  plan: Planned,
  family: Family,
  signal: AbortSignal,
  body: Record<string, unknown> | undefined,
): Response | Promise<Response> {
  const { script, mutations, garbage, variant } = plan.upstream;
  switch (plan.scenario) {
    case "valid":
      if (family === "openai-chat" && body?.stream !== true) return chatCompletion(String(body?.model));
      return streamResponse(renderScript(family, script));
    case "mutated": {
      const text = mutateFrames(renderScript(family, script), mutations);
      return streamResponse(garbage ? [text, garbage] : [text]);
    }
    case "http_error":
      return [
        () => opencodeError(400, "error", "Error from provider: invalid"),
        () => opencodeError(401, "ModelError", "Model not supported"),
        () => opencodeError(403, "RegionError", "region"),
        () =>
          opencodeError(429, "GoUsageLimitError", "limit", { "retry-after": "18000" }, {
            limitName: "5 hour",
          }),
        () => opencodeError(500, "error", "Internal server error"),
        () => new Response("bad gateway", { status: 502 }),
        () => opencodeError(503, "error", "unavailable", { "retry-after": "0.001" }),
        () => opencodeError(529, "overloaded_error", "Overloaded"),
        () => new Response("<html>nginx</html>", { status: 504, headers: { "content-type": "text/html" } }),
      ][variant]();
    case "network_error":
      return Promise.reject(new TypeError("error sending request: connection reset"));
    case "hang":
      return hangUntilAborted(signal);
    case "stall":
      return streamResponse(renderScript(family, script).slice(0, 2), { hold: true, signal });
    case "empty":
      return new Response("", { headers: { "content-type": "text/event-stream" } });
    case "html":
      return new Response("<!doctype html><h1>Cloudflare</h1>", { headers: { "content-type": "text/html" } });
  }
}

Deno.test({
  name: "fuzz: 10,000 generated and mutated requests, no gateway-fault 5xx, no unhandled rejections",
  // Many requests in flight against fakes; the sanitizers would time each of them.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const unhandled: unknown[] = [];
    const onUnhandled = (event: PromiseRejectionEvent) => {
      event.preventDefault();
      unhandled.push(event.reason);
    };
    globalThis.addEventListener("unhandledrejection", onUnhandled);
    const plans = new Map<number, Planned>();
    const { handler, calls } = makeGateway({
      CONNECT_TIMEOUT_MS: "25",
      IDLE_TIMEOUT_MS: "25",
      TOTAL_TIMEOUT_MS: "2000",
      RETRIES: "1",
      RETRY_BASE_DELAY_MS: "1",
      RETRY_AFTER_CAP_MS: "5",
      BODY_LIMIT_BYTES: String(256 * 1024),
      MODEL_FALLBACKS: "kimi-k2.6=glm-5.1,gpt-5.5=kimi-k2.6",
    }, (call) => {
      const id = Number(/fuzz-(\d+)$/.exec(call.headers.get("x-opencode-session") ?? "")?.[1]);
      const plan = plans.get(id);
      assert.ok(plan, `upstream call without a fuzz id: ${call.url}`);
      return upstreamAnswer(plan, familyOfUrl(call.url), call.signal, call.body);
    });

    const faults: string[] = [];
    const statuses = new Map<number, number>();
    let upstreamFaultFiveHundreds = 0;
    let passthroughOddFrames = 0;
    const upstreamCalled = new Set<number>();
    const check = async (plan: Planned) => {
      const response = await handler(plan.request);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      const called = calls.some((call) =>
        call.headers.get("x-opencode-session")?.endsWith(`fuzz-${plan.id}`)
      );
      if (called) upstreamCalled.add(plan.id);
      const describe = () =>
        `#${plan.id} ${plan.scenario} ${plan.request.method} ${new URL(plan.request.url).pathname}`;
      const internal = /Internal gateway error|not implemented/i.test(text);
      if (internal) {
        faults.push(`${describe()}: ${response.status} ${text.slice(0, 300)}`);
        return;
      }
      if (response.status >= 500) {
        if (!called || plan.scenario === "valid") {
          faults.push(`${describe()}: ${response.status} ${text.slice(0, 300)}`);
        } else upstreamFaultFiveHundreds++;
        return;
      }
      if (response.status !== 200 || !plan.anthropic) return;
      // The body may have lost or gained `stream` in mutation: what came back decides how to read it.
      if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
        const read = readAnthropicSse(text);
        const last = (read.events.at(-1) as { type?: string } | null)?.type;
        const passthrough = response.headers.get("x-opencode-family") === "anthropic";
        let problems: string[];
        if (passthrough && plan.scenario !== "valid") {
          // The Anthropic passthrough forwards upstream frames as they are: only its ending is guaranteed.
          passthroughOddFrames += read.ignored + read.problems.length;
          problems = last === "message_stop" || last === "error"
            ? []
            : ["does not end in message_stop or error"];
        } else {
          problems = [
            ...read.problems,
            ...(read.ignored > 0 ? [`${read.ignored} frames a client cannot read`] : []),
            ...hubGrammarViolations(read.events),
          ];
        }
        if (plan.scenario === "valid" && last !== "message_stop") {
          problems.push("a valid upstream stream did not end in message_stop");
        }
        if (problems.length > 0) faults.push(`${describe()}: ${problems.join("; ")}`);
      } else {
        const message = JSON.parse(text);
        if (message.type !== "message") {
          faults.push(`${describe()}: 200 without a message: ${text.slice(0, 200)}`);
        }
      }
    };

    const started = performance.now();
    for (let offset = 0; offset < TOTAL; offset += CONCURRENCY) {
      const batch: Planned[] = [];
      for (let id = offset; id < Math.min(TOTAL, offset + CONCURRENCY); id++) {
        const plan = planRequest(id);
        plans.set(id, plan);
        batch.push(plan);
      }
      await Promise.all(batch.map((plan) => {
        // A request that never finishes is a fault too (and would hang the run): give up on it after 5 s.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const hung = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            faults.push(
              `#${plan.id} ${plan.scenario} ${plan.request.method} ${plan.request.url}: no answer in 5 s`,
            );
            resolve();
          }, 5_000);
        });
        const done = check(plan).catch((error) => {
          faults.push(`#${plan.id}: handler threw ${error?.stack ?? error}`);
        });
        return Promise.race([done, hung]).finally(() => clearTimeout(timer));
      }));
      if (faults.some((fault) => fault.endsWith("no answer in 5 s"))) break;
      for (const plan of batch) plans.delete(plan.id);
      calls.length = 0;
    }
    // Let stray timers and aborted reads settle, so late rejections are caught too.
    await new Promise((resolve) => setTimeout(resolve, 50));
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}:${count}`)
      .join(" ");
    console.log(
      `fuzz: ${TOTAL} requests in ${seconds} s; upstream reached by ${upstreamCalled.size}; statuses ${summary}; ` +
        `5xx caused by upstream faults: ${upstreamFaultFiveHundreds}; ` +
        `odd upstream frames forwarded by the Anthropic passthrough: ${passthroughOddFrames}; ` +
        `gateway faults: ${faults.length}`,
    );
    assert.equal(faults.length, 0, `${faults.length} gateway faults:\n${faults.slice(0, 40).join("\n")}`);
    assert.deepEqual(unhandled.map(String).slice(0, 10), [], `${unhandled.length} unhandled rejections`);
    assert.ok(upstreamCalled.size > TOTAL / 3, "most generated requests must reach the upstream");
  },
});
