// The README stays a short document for users, and no relative link in README.md or docs/*.md is broken:
// each points at a file that exists, and an `#anchor` at a heading that exists in it.
import assert from "node:assert/strict";
import { type Doc, readDocs, repoRoot } from "./read_docs.ts";

const README_MAX_LINES = 350;

/** The text with fenced code blocks and inline code spans blanked, so examples are not read as links. */
function withoutCode(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** Relative link targets: `[text](target)`, minus absolute URLs and mail links. */
export function relativeLinks(text: string): string[] {
  const targets = [...withoutCode(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]);
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** GitHub's heading anchors: inline markup dropped, lower case, punctuation removed, spaces to hyphens. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const fences = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const [, heading] of fences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const plain = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*]/g, "");
    const slug = plain.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function brokenLinks(doc: Doc, docs: Doc[]): Promise<string[]> {
  const broken: string[] = [];
  const base = new URL(doc.path, repoRoot);
  for (const target of relativeLinks(doc.text)) {
    const [file, anchor] = target.split("#", 2);
    const url = file ? new URL(file, base) : base;
    if (!url.href.startsWith(repoRoot.href)) {
      broken.push(`${doc.path}: ${target} leaves the repository`);
      continue;
    }
    if (!await exists(url)) {
      broken.push(`${doc.path}: ${target} (no such file)`);
      continue;
    }
    if (anchor === undefined) continue;
    const path = url.href.slice(repoRoot.href.length);
    const text = docs.find((candidate) => candidate.path === path)?.text ?? await Deno.readTextFile(url);
    if (!headingAnchors(text).has(decodeURIComponent(anchor))) {
      broken.push(`${doc.path}: ${target} (no heading #${anchor} in ${path})`);
    }
  }
  return broken;
}

Deno.test(`README.md has at most ${README_MAX_LINES} lines`, async () => {
  const readme = (await readDocs()).find((doc) => doc.path === "README.md")!;
  const lines = readme.text.split("\n").length - (readme.text.endsWith("\n") ? 1 : 0);
  assert.ok(
    lines <= README_MAX_LINES,
    `README.md has ${lines} lines: move detail to docs/ and link to it`,
  );
});

Deno.test("every relative link in README.md and docs/*.md points at an existing file and heading", async () => {
  const docs = await readDocs();
  assert.ok(docs.length >= 2, "README.md and docs/*.md were read");
  const links = docs.flatMap((doc) => relativeLinks(doc.text));
  assert.ok(links.length >= 20, `only ${links.length} relative links found: is the link pattern right?`);
  const broken = (await Promise.all(docs.map((doc) => brokenLinks(doc, docs)))).flat();
  assert.deepStrictEqual(broken, []);
});

Deno.test("the README links to every page in docs/", async () => {
  const docs = await readDocs();
  const readme = docs.find((doc) => doc.path === "README.md")!;
  const linked = new Set(relativeLinks(readme.text).map((target) => target.split("#")[0]));
  const unlinked = docs.filter((doc) => doc.path !== "README.md" && !linked.has(doc.path));
  assert.deepStrictEqual(unlinked.map((doc) => doc.path), []);
});

Deno.test("link and anchor parsing follows GitHub's rules", () => {
  const text = [
    "# Models: names, the `catalog` and **count_tokens**",
    "## `GET /v1/models`",
    "## Where the design departs from `shared/STYLE.md`, and why",
    "## Tests",
    "## Tests",
    "```sh",
    "# not a heading [x](missing.md)",
    "```",
    "See [a](docs/a.md#tests-1), `[b](b.md)`, [c](https://example.com) and [d](#get-v1models).",
  ].join("\n");
  assert.deepStrictEqual(relativeLinks(text), ["docs/a.md#tests-1", "#get-v1models"]);
  assert.deepStrictEqual(
    [...headingAnchors(text)],
    [
      "models-names-the-catalog-and-count_tokens",
      "get-v1models",
      "where-the-design-departs-from-sharedstylemd-and-why",
      "tests",
      "tests-1",
    ],
  );
});

Deno.test("every source path README.md and docs/*.md name in code spans exists", async () => {
  const missing: string[] = [];
  for (const doc of await readDocs()) {
    for (const [, path] of doc.text.matchAll(/`((?:lib|tests|bench|scripts)\/[\w./-]+\.(?:ts|json))`/g)) {
      // `lib/a/b.ts ↔ tests/a/b_test.ts` illustrates the test layout; it names no file.
      if (/^(lib|tests)\/a\//.test(path)) continue;
      if (!(await exists(new URL(path, repoRoot)))) missing.push(`${doc.path}: ${path}`);
    }
  }
  assert.deepStrictEqual(missing, []);
});
