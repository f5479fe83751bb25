/** The load benchmark's figures, and the stdout table that puts each beside its target (issue 12). */

interface Spread {
  p50: number;
  p99: number;
}

export interface ScenarioFigures {
  name: string;
  nonStreamMode: "translated" | "pass-through";
  streamMode: "translated" | "pass-through";
  c1: { direct: Spread; gateway: Spread; addedP50: number; addedP99: number };
  c64: { direct: Spread; gateway: Spread; directRps: number; gatewayRps: number };
  largeCpuMsPerRequest: number;
  streams: {
    ttfbDirect: Spread;
    ttfbGateway: Spread;
    totalDirect: Spread;
    totalGateway: Spread;
    directPerSecond: number;
    gatewayPerSecond: number;
    chunksPerStream: number;
    cpuMsPer1000Chunks: number;
  };
  tiny: { addedP50: number; cpuMsPerRequest: number };
}

export interface LoadResult {
  date: string;
  seconds: number;
  v8Flags: string;
  mallocArenaMax: string;
  /** Every glibc malloc setting the gateway ran with (`MALLOC_MMAP_THRESHOLD_`, …). */
  mallocEnv: Record<string, string>;
  memory: {
    idleColdMiB: number;
    peakMixMiB: number;
    peakScenariosMiB: number;
    idleBetweenMiB: number;
    /** Three seconds after the load, the benchmark's keep-alive connections still open. */
    afterLoadConnectedMiB: number;
    /** Three more seconds after those connections closed. */
    afterLoadMiB: number;
  };
  scenarios: ScenarioFigures[];
}

const f = (value: number, digits = 2) => value.toFixed(digits);
const mark = (ok: boolean) => (ok ? "ok" : "MISS");

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column].length))
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(header), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...rows.map(line)]
    .join("\n");
}

/** Every figure with a target, as `[figure, measured, target, ok]` rows. */
export function targetRows(result: LoadResult): string[][] {
  const { memory } = result;
  const rows: string[][] = [
    ["RSS idle (cold)", `${f(memory.idleColdMiB, 1)} MiB`, "≤ 40 MiB", mark(memory.idleColdMiB <= 40)],
    [
      "RSS peak, 32 large streams + 64 large non-stream at once",
      `${f(memory.peakMixMiB, 1)} MiB`,
      "≤ 150 MiB",
      mark(memory.peakMixMiB <= 150),
    ],
    [
      "RSS idle after the load",
      `${f(memory.afterLoadMiB, 1)} MiB (${f(memory.afterLoadMiB / memory.idleColdMiB)}× idle)`,
      "≤ 1.2× idle",
      mark(memory.afterLoadMiB <= 1.2 * memory.idleColdMiB),
    ],
  ];
  for (const s of result.scenarios) {
    if (s.nonStreamMode === "translated") {
      rows.push([
        `${s.name}: non-stream large, added p50 / p99, c=1`,
        `+${f(s.c1.addedP50)} / +${f(s.c1.addedP99)} ms`,
        "≤ +1.0 / +4.0 ms",
        mark(s.c1.addedP50 <= 1 && s.c1.addedP99 <= 4),
      ]);
    } else {
      rows.push([
        `${s.name}: pass-through non-stream large, added p50, c=1`,
        `+${f(s.c1.addedP50)} ms`,
        "≤ +0.8 ms",
        mark(s.c1.addedP50 <= 0.8),
      ]);
    }
    rows.push([
      `${s.name}: non-stream large, req/s at c=64`,
      f(s.c64.gatewayRps, 0),
      "≥ 1000",
      mark(s.c64.gatewayRps >= 1000),
    ]);
    rows.push([
      `${s.name}: tiny request, gateway CPU`,
      `${f(s.tiny.cpuMsPerRequest)} ms`,
      "≤ 0.5 ms",
      mark(s.tiny.cpuMsPerRequest <= 0.5),
    ]);
    const limit = s.streamMode === "translated" ? 15 : 8;
    rows.push([
      `${s.name}: ${s.streamMode} stream, CPU per 1000 chunks`,
      `${f(s.streams.cpuMsPer1000Chunks)} ms`,
      `≤ ${limit} ms`,
      mark(s.streams.cpuMsPer1000Chunks <= limit),
    ]);
  }
  return rows;
}

export function detailRows(result: LoadResult): string[][] {
  return result.scenarios.map((s) => [
    s.name,
    `${f(s.c1.direct.p50)} / ${f(s.c1.gateway.p50)}`,
    `${f(s.c1.direct.p99)} / ${f(s.c1.gateway.p99)}`,
    `${f(s.c64.direct.p50, 1)} / ${f(s.c64.gateway.p50, 1)}`,
    `${f(s.c64.direct.p99, 1)} / ${f(s.c64.gateway.p99, 1)}`,
    `${f(s.c64.directRps, 0)} / ${f(s.c64.gatewayRps, 0)}`,
    f(s.largeCpuMsPerRequest),
    `${f(s.streams.ttfbDirect.p50)} / ${f(s.streams.ttfbGateway.p50)}`,
    `${f(s.streams.totalDirect.p50, 1)} / ${f(s.streams.totalGateway.p50, 1)}`,
    `${f(s.streams.directPerSecond, 0)} / ${f(s.streams.gatewayPerSecond, 0)}`,
    f(s.streams.cpuMsPer1000Chunks),
    f(s.tiny.cpuMsPerRequest),
  ]);
}

export const detailHeader = [
  "client → upstream",
  "c=1 p50 ms",
  "c=1 p99 ms",
  "c=64 p50 ms",
  "c=64 p99 ms",
  "c=64 req/s",
  "CPU ms/large req",
  "stream TTFB p50 ms",
  "stream total p50 ms",
  "streams/s c=32",
  "CPU ms/1000 chunks",
  "CPU ms/tiny req",
];

export function printReport(result: LoadResult): void {
  const { memory } = result;
  console.log(
    `\nLoad benchmark, ${result.date}; gateway --v8-flags=${result.v8Flags || "(none)"}, malloc ${
      Object.entries(result.mallocEnv).map(([name, value]) => `${name}=${value}`).join(" ") || "defaults"
    }. Pairs are direct-to-fake / through the gateway.\n`,
  );
  console.log(table(detailHeader, detailRows(result)));
  console.log(
    `\nRSS: idle cold ${f(memory.idleColdMiB, 1)} MiB, peak during scenarios ${
      f(memory.peakScenariosMiB, 1)
    } MiB, ` +
      `idle between ${f(memory.idleBetweenMiB, 1)} MiB, peak mixed ${f(memory.peakMixMiB, 1)} MiB, ` +
      `after load ${f(memory.afterLoadConnectedMiB, 1)} MiB (clients connected), ${
        f(memory.afterLoadMiB, 1)
      } MiB (closed)\n`,
  );
  console.log(table(["figure", "measured", "target", ""], targetRows(result)));
}
