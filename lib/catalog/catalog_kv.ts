/**
 * The merged catalog in Deno KV under `["catalog", …]`. A KV value holds at most 64 KiB, so the JSON is stored
 * as byte chunks of one generation plus a head record naming it; a write replaces both atomically.
 */
import { type CatalogData, catalogDataSchema } from "./schema.ts";
import { applyCatalogQuirks } from "./quirks.ts";
import { concatBytes } from "../stream/concat_bytes.ts";

const chunkBytes = 60_000;
const headKey = ["catalog", "head"];

interface Head {
  generation: string;
  chunks: number;
}

/**
 * The stored copy, or undefined when there is none or it does not match the current shape. The quirks overlay
 * is re-applied: the copy may have been written by a deploy with an older quirks table.
 */
export async function readCatalogFromKv(kv: Deno.Kv): Promise<CatalogData | undefined> {
  const head = await kv.get<Head>(headKey);
  if (!head.value) return undefined;
  const parts: Uint8Array[] = [];
  for await (const entry of kv.list<Uint8Array>({ prefix: ["catalog", "chunk", head.value.generation] })) {
    parts.push(entry.value);
  }
  if (parts.length !== head.value.chunks) return undefined;
  const bytes = concatBytes(parts);
  try {
    const parsed = catalogDataSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? applyCatalogQuirks(parsed.data) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a new generation and drops the old one; false when another writer got there first. */
export async function writeCatalogToKv(kv: Deno.Kv, data: CatalogData): Promise<boolean> {
  const previous = await kv.get<Head>(headKey);
  const bytes = new TextEncoder().encode(JSON.stringify(data));
  const generation = `${data.fetchedAt}-${crypto.randomUUID().slice(0, 8)}`;
  const chunks = Math.max(1, Math.ceil(bytes.length / chunkBytes));
  const operation = kv.atomic().check(previous);
  for (let index = 0; index < chunks; index++) {
    operation.set(
      ["catalog", "chunk", generation, index],
      bytes.slice(index * chunkBytes, (index + 1) * chunkBytes),
    );
  }
  operation.set(headKey, { generation, chunks } satisfies Head);
  if (previous.value) {
    for (let index = 0; index < previous.value.chunks; index++) {
      operation.delete(["catalog", "chunk", previous.value.generation, index]);
    }
  }
  const result = await operation.commit();
  return result.ok;
}
