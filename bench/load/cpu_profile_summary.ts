/**
 * Reads a V8 `.cpuprofile` (as `deno run --cpu-prof` writes it) and sums its self time by where the code lives:
 * the gateway's own modules (per file), its npm packages, Deno's runtime (`ext:`/`node:`), V8's garbage
 * collector, and `(program)` (native work outside JavaScript: ops, the HTTP server, the fetch client).
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Milliseconds of samples that were not `(idle)`. */
  busyMs: number;
  /** Self milliseconds by place, largest first. */
  places: [string, number][];
  /** Self milliseconds by function (`name place:line`), largest first. */
  functions: [string, number][];
}

/** Where a frame's code lives, short enough for a table row. */
export function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const npm = url.match(/\/npm\/registry\.npmjs\.org\/([^/]+(?:\/[^/]+)?)\/[^/]+\/(.*)$/);
  if (npm) return `npm:${npm[1].startsWith("@") ? npm[1] : npm[1].split("/")[0]}`;
  const own = url.match(/\/((?:lib|bench|main)\b.*)$/);
  if (url.startsWith("file://") && own) return own[1];
  if (url.startsWith("ext:") || url.startsWith("node:")) return `deno ${url.replace(/^ext:/, "")}`;
  return url;
}

/**
 * Index of the first sample after the first idle stretch of at least `quietMs`: the benchmark pauses that long
 * after start-up and warm-up, so what follows is the measured load alone.
 */
function afterPause(profile: CpuProfile, idle: (id: number) => boolean, quietMs: number): number {
  let quiet = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    if (!idle(profile.samples[index])) {
      if (quiet >= quietMs) return index;
      quiet = 0;
    } else quiet += (profile.timeDeltas[index] ?? 0) / 1000;
  }
  return 0;
}

export function summarize(profile: CpuProfile, quietMs = 800): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const idle = (id: number) => byId.get(id)!.callFrame.functionName === "(idle)";
  const from = afterPause(profile, idle, quietMs);
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    if (index < from) return;
    // A sample's delta is the time since the one before it, so it is charged to this sample.
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)") return;
    busy += ms;
    const place = placeOf(frame.url, frame.functionName);
    places.set(place, (places.get(place) ?? 0) + ms);
    const name = `${frame.functionName || "(anonymous)"} ${place}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  });
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return { busyMs: busy, places: sorted(places), functions: sorted(functions) };
}

export async function readProfiles(dir: string): Promise<CpuProfile[]> {
  const profiles: CpuProfile[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".cpuprofile")) {
      profiles.push(JSON.parse(await Deno.readTextFile(`${dir}/${entry.name}`)));
    }
  }
  return profiles;
}
