/** README.md and every docs/*.md, with their paths relative to the repository root. */
export const repoRoot = new URL("../../", import.meta.url);

export interface Doc {
  /** Relative to the repository root, e.g. `docs/models.md`. */
  path: string;
  text: string;
}

export async function readDocs(): Promise<Doc[]> {
  const paths = ["README.md"];
  for await (const entry of Deno.readDir(new URL("docs/", repoRoot))) {
    if (entry.isFile && entry.name.endsWith(".md")) paths.push(`docs/${entry.name}`);
  }
  paths.sort();
  return await Promise.all(
    paths.map(async (path) => ({ path, text: await Deno.readTextFile(new URL(path, repoRoot)) })),
  );
}
