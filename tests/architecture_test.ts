/**
 * The import rules of docs/architecture.md, checked on the source: no import circles in lib/, the lower layers
 * import no wire format, a format folder imports no other one (shared OpenAI pieces live in formats/openai/),
 * every format folder has the common file set with `<format><Thing>` faces, and no lib/ file is over 250 lines.
 */
import assert from "node:assert/strict";

const LIB = new URL("../lib/", import.meta.url);
const MAX_LINES = 250;

/** Folders that must import nothing from lib/formats (nor from the routes, the relay or the gateway above). */
const LOWER_LAYERS = ["hub", "stream", "sse", "errors", "tokens", "log", "upstream", "catalog"];
const UPPER = ["formats/", "routes/", "relay.ts", "gateway.ts"];

/** Faces every format folder has: the upstream direction (every format is an upstream). */
const UPSTREAM_FILES = {
  "mod.ts": "Upstream",
  "request_from_hub.ts": "RequestFromHub",
  "stream_to_hub.ts": "StreamToHub",
  "map_stop_reason.ts": "StopReasonToHub",
  "convert_usage.ts": "UsageToHub",
  "error_to_hub.ts": "ErrorToHub",
} as const;
/** Faces a format clients speak (it has a client.ts) adds: the client direction. */
const CLIENT_FILES = {
  "client.ts": "Client",
  "request_to_hub.ts": "RequestToHub",
  "stream_from_hub.ts": "StreamFromHub",
  "response_from_hub.ts": "ResponseFromHub",
} as const;
/** The hub is Anthropic's own shape: its client's request and response need no conversion. */
const HUB_SHAPED = new Set(["anthropic/request_to_hub.ts", "anthropic/response_from_hub.ts"]);
/** Not a wire format: the pieces Chat and Responses share. */
const SHARED_FOLDERS = new Set(["openai"]);

async function libFiles(dir = LIB, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) files.push(...await libFiles(new URL(`${entry.name}/`, dir), `${path}/`));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** Relative imports of a lib/ file (type-only ones included: they are dependencies too), as lib/ paths. */
function importsOf(path: string, source: string): string[] {
  const base = new URL(path, LIB);
  return [...source.matchAll(specifier)].map((match) => new URL(match[1], base).href.slice(LIB.href.length))
    .filter((target) => !target.startsWith("../"));
}

async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const path of await libFiles()) {
    graph.set(path, importsOf(path, await Deno.readTextFile(new URL(path, LIB))));
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

function camel(folder: string): string {
  return folder.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

Deno.test("lib/ has no import circles", async () => {
  const cycle = findCycle(await importGraph());
  assert.equal(cycle, undefined, `import circle: ${cycle?.join(" → ")}`);
});

Deno.test("the hub and the layers below the formats import nothing from lib/formats or above", async () => {
  const graph = await importGraph();
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    if (!LOWER_LAYERS.some((layer) => file.startsWith(`${layer}/`))) continue;
    for (const target of targets) {
      if (UPPER.some((upper) => target.startsWith(upper))) upward.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(upward, []);
});

Deno.test("a format folder imports no other format folder (shared OpenAI pieces live in formats/openai/)", async () => {
  const graph = await importGraph();
  const crossing: string[] = [];
  for (const [file, targets] of graph) {
    const folder = /^formats\/([^/]+)\//.exec(file)?.[1];
    if (!folder) continue;
    for (const target of targets) {
      const other = /^formats\/([^/]+)\//.exec(target)?.[1];
      if (other && other !== folder && !SHARED_FOLDERS.has(other)) crossing.push(`${file} → ${target}`);
    }
    if (SHARED_FOLDERS.has(folder)) {
      for (const target of targets) {
        if (/^formats\/[^/]+\//.test(target) && !target.startsWith(`formats/${folder}/`)) {
          crossing.push(`${file} → ${target}`);
        }
      }
    }
  }
  assert.deepEqual(crossing, []);
});

Deno.test("every format folder has the common file set, each face named <format><Thing>", async () => {
  const folders: string[] = [];
  for await (const entry of Deno.readDir(new URL("formats/", LIB))) {
    if (entry.isDirectory && !SHARED_FOLDERS.has(entry.name)) folders.push(entry.name);
  }
  assert.ok(folders.length >= 4, `format folders: ${folders.join(", ")}`);
  const problems: string[] = [];
  for (const folder of folders.sort()) {
    const files = new Set(await libFiles(new URL(`formats/${folder}/`, LIB)));
    const wanted: Record<string, string> = {
      ...UPSTREAM_FILES,
      ...(files.has("client.ts") ? CLIENT_FILES : {}),
    };
    for (const [file, thing] of Object.entries(wanted)) {
      if (HUB_SHAPED.has(`${folder}/${file}`)) continue;
      if (!files.has(file)) {
        problems.push(`formats/${folder}/${file} is missing`);
        continue;
      }
      const source = await Deno.readTextFile(new URL(`formats/${folder}/${file}`, LIB));
      const face = `${camel(folder)}${thing}`;
      if (
        !new RegExp(`export (?:async )?(?:function|const|class) ${face}\\b|export \\{[^}]*\\b${face}\\b`)
          .test(source)
      ) {
        problems.push(`formats/${folder}/${file} does not export ${face}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test(`no lib/ file is over ${MAX_LINES} lines`, async () => {
  const long: string[] = [];
  for (const path of await libFiles()) {
    const lines = (await Deno.readTextFile(new URL(path, LIB))).split("\n").length - 1;
    if (lines > MAX_LINES) long.push(`${path}: ${lines}`);
  }
  assert.deepEqual(long, []);
});
