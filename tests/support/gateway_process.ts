/**
 * The real server as a user runs it: `deno run main.ts` in a child process, on 127.0.0.1 port 0, with exactly
 * the environment a test gives. Tests that must see what a socket client sees (slow clients, disconnects, RSS,
 * event-loop stalls) use this instead of calling the handler in-process. Its JSON log lines are copied to the
 * log tap, so the log audit covers them too.
 */
import { baseProcessEnv, configPath, mainPath } from "./deno_process.ts";
import { logTap } from "./log_tap.ts";

export interface GatewayProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  pid: number;
  /** Resident set size now, in bytes (from /proc/<pid>/status). */
  rssBytes(): number;
  /** User + system CPU time the process has used so far, in milliseconds (from /proc/<pid>/stat). */
  cpuMs(): number;
  /** Every stderr line the process wrote so far (log lines and startup messages). */
  lines(): string[];
  stop(): Promise<void>;
}

/**
 * Starts the gateway and resolves once it prints its listening line. `env` is all it gets besides PATH and
 * HOME; `v8Flags` are passed as `--v8-flags=…`; `permissions` replace `-A`.
 */
/** A gateway child's environment before its test's settings: its own KV file, port 0, every log line. */
export function processEnv(kvDir: string): Record<string, string> {
  return { ...baseProcessEnv(), PORT: "0", KV_PATH: `${kvDir}/kv.sqlite`, LOG_LEVEL: "debug" };
}

export async function startGatewayProcess(
  env: Record<string, string>,
  options: {
    v8Flags?: string;
    timeoutMs?: number;
    args?: string[];
    permissions?: string[];
    /** Another checkout's directory, to run its main.ts instead (benchmarks comparing two trees). */
    root?: string;
  } = {},
): Promise<GatewayProcess> {
  const kvDir = await Deno.makeTempDir({ prefix: "ocb-kv-" });
  const config = options.root ? `${options.root}/deno.json` : configPath;
  const args = ["run", ...(options.permissions ?? ["-A"]), `--config=${config}`];
  if (options.v8Flags) args.push(`--v8-flags=${options.v8Flags}`);
  args.push(options.root ? `${options.root}/main.ts` : mainPath, ...(options.args ?? []));
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: { ...processEnv(kvDir), LISTEN_HOST: "127.0.0.1", HOSTNAME: "127.0.0.1", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const collected: string[] = [];
  const listening = Promise.withResolvers<string>();
  const reading = (async () => {
    const decoder = new TextDecoder();
    let pending = "";
    for await (const chunk of child.stderr) {
      pending += decoder.decode(chunk, { stream: true });
      let newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        collected.push(line);
        if (line.startsWith("{")) logTap(line);
        const match = line.match(/listening on (http:\/\/[^\s]+)/);
        if (match) listening.resolve(match[1].replace(/\/$/, ""));
      }
    }
  })();
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = await Promise.race([
    listening.promise,
    child.status.then((status) => {
      throw new Error(`gateway exited (${status.code}) before listening:\n${collected.join("\n")}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`gateway did not listen within ${timeoutMs} ms:\n${collected.join("\n")}`)),
        timeoutMs,
      );
    }),
  ]).catch(async (error) => {
    clearTimeout(timer);
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await reading.catch(() => {});
    throw error;
  });
  clearTimeout(timer);
  return {
    url,
    pid: child.pid,
    rssBytes: () => readRssBytes(child.pid),
    cpuMs: () => readCpuMs(child.pid),
    lines: () => [...collected],
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await reading.catch(() => {});
      await Deno.remove(kvDir, { recursive: true }).catch(() => {});
    },
  };
}

/** VmRSS of a process, in bytes. */
export function readRssBytes(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const match = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return match ? Number(match[1]) * 1024 : 0;
}

/** utime + stime of a process, in milliseconds (clock ticks are 100 per second on Linux). */
export function readCpuMs(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) * 10;
}

export interface StallReport {
  /** The slowest probe answer, in milliseconds. */
  maxMs: number;
  samples: number;
  /** Probes that failed outright (connection refused, reset). */
  failures: number;
}

/**
 * While `work` runs, asks the gateway a cheap question (`GET /api/hello`) back to back and records the slowest
 * answer: a gateway whose event loop is blocked answers late. The probe keeps going until `work` settles.
 */
export async function measureStall<T>(
  url: string,
  work: () => Promise<T>,
): Promise<{ result: T; stall: StallReport }> {
  let running = true;
  const report: StallReport = { maxMs: 0, samples: 0, failures: 0 };
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${url}/api/hello`);
        await response.body?.cancel();
      } catch {
        report.failures++;
      }
      report.maxMs = Math.max(report.maxMs, performance.now() - started);
      report.samples++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    const result = await work();
    return { result, stall: report };
  } finally {
    running = false;
    await probing;
  }
}
