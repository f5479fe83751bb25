/**
 * A fake OpenTelemetry collector on 127.0.0.1 port 0 that accepts OTLP/HTTP JSON
 * (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, which Deno's exporter honours) and keeps every span it receives,
 * flattened: names, ids, kind and attributes as plain values.
 */

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** The exporting resource's `service.name`. */
  service?: string;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

export interface FakeCollector {
  /** The base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  /** Request bodies that were not OTLP JSON traces (protobuf, by content type). */
  rejected: string[];
  close(): Promise<void>;
}

function plain(value: OtlpValue): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  return JSON.stringify(value);
}

function attributesOf(list: OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map((attribute) => [attribute.key, plain(attribute.value)]));
}

export function startFakeCollector(): FakeCollector {
  const spans: ReceivedSpan[] = [];
  const rejected: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = new URL(request.url).pathname;
    const type = request.headers.get("content-type") ?? "";
    const body = await request.arrayBuffer();
    if (path !== "/v1/traces") return Response.json({});
    if (!type.includes("json")) {
      rejected.push(type);
      return new Response("JSON only", { status: 415 });
    }
    const payload = JSON.parse(new TextDecoder().decode(body));
    for (const resourceSpans of payload.resourceSpans ?? []) {
      const service = attributesOf(resourceSpans.resource?.attributes)["service.name"];
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          spans.push({
            name: span.name,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            kind: span.kind,
            attributes: attributesOf(span.attributes),
            service: typeof service === "string" ? service : undefined,
          });
        }
      }
    }
    return Response.json({});
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, spans, rejected, close: () => server.shutdown() };
}
