/**
 * Where a process's resident memory is, from `/proc/<pid>/smaps`: glibc's `[heap]` (malloc), anonymous
 * mappings (V8's pages, large malloc chunks, thread stacks), the deno binary, and the rest. `--smaps` on the
 * load benchmark prints it after the load, the evidence behind docs/performance.md's memory findings.
 */
export interface RssBreakdown {
  mallocHeapMiB: number;
  anonymousMiB: number;
  binaryMiB: number;
  otherMiB: number;
  /** Anonymous mappings by size class, for telling V8's 256 KiB pages from 64 MiB malloc arenas. */
  anonymousBySize: Record<string, number>;
}

export function rssBreakdown(pid: number): RssBreakdown {
  const text = Deno.readTextFileSync(`/proc/${pid}/smaps`);
  const result: RssBreakdown = {
    mallocHeapMiB: 0,
    anonymousMiB: 0,
    binaryMiB: 0,
    otherMiB: 0,
    anonymousBySize: {},
  };
  let name = "";
  let sizeKiB = 0;
  for (const line of text.split("\n")) {
    const header = line.match(/^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/);
    if (header) {
      name = header[3];
      sizeKiB = (parseInt(header[2], 16) - parseInt(header[1], 16)) / 1024;
      continue;
    }
    const rss = line.match(/^Rss:\s+(\d+) kB/);
    if (!rss) continue;
    const mib = Number(rss[1]) / 1024;
    if (name === "[heap]") result.mallocHeapMiB += mib;
    else if (name === "") {
      result.anonymousMiB += mib;
      const bucket = sizeKiB >= 65536
        ? "≥64 MiB"
        : sizeKiB >= 1024
        ? "1–64 MiB"
        : sizeKiB >= 256
        ? "256 KiB–1 MiB"
        : "< 256 KiB";
      result.anonymousBySize[bucket] = (result.anonymousBySize[bucket] ?? 0) + mib;
    } else if (name.endsWith("/deno")) result.binaryMiB += mib;
    else result.otherMiB += mib;
  }
  return result;
}

export function formatBreakdown(breakdown: RssBreakdown): string {
  const sizes = Object.entries(breakdown.anonymousBySize).map(([size, mib]) => `${size} ${mib.toFixed(1)}`);
  return `malloc [heap] ${breakdown.mallocHeapMiB.toFixed(1)} MiB, anonymous ${
    breakdown.anonymousMiB.toFixed(1)
  } MiB (${sizes.join(", ")}), deno binary ${breakdown.binaryMiB.toFixed(1)} MiB, other ${
    breakdown.otherMiB.toFixed(1)
  } MiB`;
}
