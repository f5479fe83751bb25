/**
 * What `main.ts` loads before serving: the modules a server never needs at once stay behind `import()`, so a
 * gateway's idle RSS does not pay for them (docs/performance.md#memory: the CLI ~4 MiB, html-to-text ~10 MiB,
 * the tokenizer ~60 MiB, node:crypto ~1 MiB). Read from the module graph `deno info --json` reports, static edges only.
 */
import assert from "node:assert/strict";
import { configPath, mainPath } from "../support/deno_process.ts";

interface GraphModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[];
}

async function staticGraph(): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `--config=${configPath}`, mainPath],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: GraphModule[];
  };
  const bySpecifier = new Map(graph.modules.map((module) => [module.specifier, module]));
  const reached = new Set<string>();
  const pending = [...graph.roots];
  while (pending.length > 0) {
    const specifier = pending.pop()!;
    if (reached.has(specifier)) continue;
    reached.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!dependency.isDynamic && dependency.code?.specifier) pending.push(dependency.code.specifier);
    }
  }
  return reached;
}

Deno.test("serving loads neither the command line, html-to-text, unpdf, the tokenizer nor node:crypto up front", async () => {
  const reached = [...await staticGraph()];
  // The graph is real: the server's own modules are in it.
  assert.ok(reached.some((specifier) => specifier.endsWith("/lib/cli/serve.ts")), reached.join("\n"));
  assert.ok(reached.some((specifier) => specifier.startsWith("npm:zod")));
  for (
    const lazy of [
      /\/lib\/cli\/program\.ts$/,
      /^npm:\/?commander@/,
      /^npm:\/?html-to-text@/,
      /^npm:\/?unpdf@/,
      /^npm:\/?gpt-tokenizer@/,
      /^node:crypto$/,
    ]
  ) {
    const found = reached.filter((specifier) => lazy.test(specifier));
    assert.deepEqual(found, [], `${lazy} is imported statically from main.ts`);
  }
});
