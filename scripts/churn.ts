/**
 * Churn soak (not in CI): the real gateway process against a loopback upstream, `--streams` concurrent
 * streams for `--seconds`, every family and client format, clients hanging up at random. Prints what
 * happened, whether any upstream connection is left open, and RSS idle / peak / after. Exits 1 on a leak.
 *
 *   deno task churn --seconds 60 --streams 200 [--rounds 2] [--client-ms 3000]
 *
 * V8 keeps the heap it grew, so RSS after the first round stays near its peak; with `--rounds 2` a leak shows
 * as growth in the second round.
 */
import { churn, slowAnswers } from "../tests/support/churn.ts";
import { settle, startGatewayFor } from "../tests/support/process_setup.ts";
import { startRawUpstream } from "../tests/support/raw_upstream.ts";

function parseArgs(args: string[]) {
  const options = { seconds: 60, streams: 200, rounds: 1, maxClientMs: 3_000 };
  for (let index = 0; index < args.length; index++) {
    const [flag, inline] = args[index].split("=", 2);
    const value = Number(inline ?? args[++index]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
    if (flag === "--seconds") options.seconds = Math.min(value, 3600);
    else if (flag === "--streams") options.streams = Math.min(Math.floor(value), 2000);
    else if (flag === "--rounds") options.rounds = Math.min(Math.floor(value), 10);
    else if (flag === "--client-ms") options.maxClientMs = value;
    else throw new Error(`Unknown flag: ${flag} (known: --seconds, --streams, --rounds, --client-ms)`);
  }
  return options;
}

if (import.meta.main) {
  const options = parseArgs(Deno.args);
  const MiB = 1024 * 1024;
  const upstream = startRawUpstream(slowAnswers(options));
  const gateway = await startGatewayFor(upstream, { LOG_LEVEL: "warn" });
  try {
    await settle(gateway);
    for (let round = 1; round <= options.rounds; round++) {
      console.log(`churn round ${round}: ${options.streams} streams for ${options.seconds} s …`);
      const report = await churn(gateway, upstream, options);
      console.log(
        `${report.started} streams: ${report.aborted} hung up, ${report.completed} read to the end, ` +
          `${report.errors} errors\nupstream connections open afterwards: ${report.openAfter}\n` +
          `RSS before ${Math.round(report.rssIdle / MiB)} MiB, peak ${
            Math.round(report.rssPeak / MiB)
          } MiB, ` +
          `after ${Math.round(report.rssAfter / MiB)} MiB; gateway CPU so far ${gateway.cpuMs()} ms`,
      );
      if (report.openAfter > 0 || report.errors > 0) Deno.exitCode = 1;
    }
  } finally {
    await gateway.stop();
    await upstream.close();
  }
}
