// 50 concurrent streams for 10 s over real sockets, every family and client format, clients hanging up at
// random: afterwards no upstream connection is left open and the gateway's memory is back near idle.
// (scripts/churn.ts runs the same for longer: `deno task churn --seconds 60 --streams 200`.)
import * as assert from "node:assert/strict";
import { churn, slowAnswers } from "../support/churn.ts";
import { settle, startGatewayFor } from "../support/process_setup.ts";
import { startRawUpstream } from "../support/raw_upstream.ts";

const MiB = 1024 * 1024;

Deno.test("churn: 50 streams for 10 s with random disconnects leave no upstream connection open", async () => {
  // Two rounds of 5 s: the second must not grow memory past the first (a leak grows with every stream).
  // Answers of 10 deltas 20 ms apart (about 200 ms); clients leave within 0-1.5 s, so many read to the end.
  const options = { streams: 50, seconds: 5, deltas: 10, maxClientMs: 1_500 };
  const upstream = startRawUpstream(slowAnswers(options));
  const gateway = await startGatewayFor(upstream, { LOG_LEVEL: "warn" });
  try {
    await settle(gateway);
    const rounds = [];
    for (let round = 0; round < 2; round++) {
      const report = await churn(gateway, upstream, options);
      rounds.push(report);
      console.log(
        `churn round ${
          round + 1
        }: ${report.started} streams (${report.aborted} hung up, ${report.completed} read ` +
          `to the end, ${report.errors} errors); upstream connections open after: ${report.openAfter}; RSS ` +
          `before ${Math.round(report.rssIdle / MiB)} MiB, peak ${
            Math.round(report.rssPeak / MiB)
          } MiB, after ` +
          `${Math.round(report.rssAfter / MiB)} MiB`,
      );
      assert.equal(report.openAfter, 0, "upstream connections left open");
      assert.equal(report.errors, 0);
      // How many answers finish before their client leaves depends on the machine's load; hang-ups must happen.
      assert.ok(report.aborted > 20, `only ${report.aborted} clients hung up`);
    }
    // Every upstream connection the gateway opened was closed.
    const posts = upstream.connections.filter((connection) => connection.request?.method === "POST");
    assert.ok(posts.every((connection) => connection.closedAt !== undefined));
    // Near idle: the first round grows V8's heap once (bound: idle + 150 MiB); the second adds little.
    const [first, second] = rounds;
    assert.ok(
      first.rssAfter < first.rssIdle + 150 * MiB,
      `RSS ${Math.round(first.rssAfter / MiB)} MiB after round 1`,
    );
    assert.ok(
      second.rssAfter < first.rssAfter + 40 * MiB,
      `RSS grew from ${Math.round(first.rssAfter / MiB)} to ${
        Math.round(second.rssAfter / MiB)
      } MiB in round 2`,
    );
  } finally {
    await gateway.stop();
    await upstream.close();
  }
});
