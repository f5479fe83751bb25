/**
 * Wraps the logged handler: once a request's record is final (when its log line is written, after a streamed
 * body ends) it is counted in `stats`; a streamed response counts as active until then.
 */
import type { Handler } from "../http/with_request_log.ts";
import { recordFor } from "../log/request_record.ts";
import type { RequestStats } from "./request_stats.ts";

export function withRequestStats(handler: Handler, stats: RequestStats): Handler {
  return async (request) => {
    const response = await handler(request);
    const record = recordFor(request);
    if (!record) return response;
    const observe = () => stats.observe(record, performance.now() - record.startedAt);
    if (record.streamDone) {
      if (record.stream) stats.trackStream(record.streamDone);
      record.streamDone.then(observe);
    } else observe();
    return response;
  };
}
