/**
 * A strict reader of the Prometheus text exposition format (0.0.4), enough to validate /metrics: comment
 * lines, metric and label names, label escapes, values, one TYPE per family before its samples, no duplicate
 * series, and histograms whose buckets ascend, accumulate and end in +Inf equal to _count.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parsePrometheus(text: string): Exposition {
  if (!text.endsWith("\n")) throw new Error("The exposition must end with a newline");
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  const seen = new Set<string>();
  text.slice(0, -1).split("\n").forEach((line, index) => {
    const where = `line ${index + 1}: ${line}`;
    if (line.startsWith("#")) {
      const match = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
      if (!match) throw new Error(`Bad comment, ${where}`);
      const [, kind, name, rest] = match;
      if (!metricName.test(name)) throw new Error(`Bad metric name, ${where}`);
      if (kind === "HELP") {
        if (helps.has(name)) throw new Error(`Second HELP, ${where}`);
        helps.add(name);
        return;
      }
      if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest)) {
        throw new Error(`Bad type, ${where}`);
      }
      if (types.has(name)) throw new Error(`Second TYPE, ${where}`);
      if (samples.some((sample) => familyOf(sample.name, types) === name)) {
        throw new Error(`TYPE after samples, ${where}`);
      }
      types.set(name, rest);
      return;
    }
    if (line.trim() === "") throw new Error(`Empty line, ${where}`);
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`Bad sample, ${where}`);
    const [, name, labelText, valueText] = match;
    const labels = parseLabels(labelText ?? "", where);
    const value = parseValue(valueText, where);
    const family = familyOf(name, types);
    if (!family) throw new Error(`Sample without a TYPE, ${where}`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`Duplicate series, ${where}`);
    seen.add(key);
    if (types.get(family) === "counter" && value < 0) throw new Error(`Negative counter, ${where}`);
    samples.push({ name, labels, value });
  });
  checkHistograms(types, samples);
  return { types, samples };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, "");
  return types.get(base) === "histogram" || types.get(base) === "summary" ? base : undefined;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!match) throw new Error(`Bad labels, ${where}`);
    const [whole, name, raw] = match;
    if (!labelName.test(name)) throw new Error(`Bad label name ${name}, ${where}`);
    if (name in labels) throw new Error(`Repeated label ${name}, ${where}`);
    labels[name] = raw.replace(/\\(.)/g, (_, char) => char === "n" ? "\n" : char);
    rest = rest.slice(whole.length);
  }
  return labels;
}

function parseValue(text: string, where: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`Bad value, ${where}`);
  return Number(text);
}

function checkHistograms(types: Map<string, string>, samples: Sample[]): void {
  for (const [family, type] of types) {
    if (type !== "histogram") continue;
    const groups = new Map<string, { buckets: [number, number][]; count?: number; sum?: number }>();
    for (const sample of samples) {
      if (familyOf(sample.name, types) !== family) continue;
      const { le, ...rest } = sample.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      const group = groups.get(key) ?? { buckets: [] };
      groups.set(key, group);
      if (sample.name === `${family}_bucket`) {
        if (le === undefined) throw new Error(`${family}: bucket without le`);
        group.buckets.push([parseValue(le, family), sample.value]);
      } else if (sample.name === `${family}_count`) group.count = sample.value;
      else if (sample.name === `${family}_sum`) group.sum = sample.value;
      else throw new Error(`${family}: unexpected sample ${sample.name}`);
    }
    for (const [key, group] of groups) {
      const last = group.buckets.at(-1);
      if (!last || last[0] !== Infinity) throw new Error(`${family} ${key}: no +Inf bucket`);
      if (group.count !== last[1] || group.sum === undefined) {
        throw new Error(`${family} ${key}: _count/_sum`);
      }
      for (let index = 1; index < group.buckets.length; index++) {
        const [bound, count] = group.buckets[index];
        const [previousBound, previousCount] = group.buckets[index - 1];
        if (bound <= previousBound || count < previousCount) {
          throw new Error(`${family} ${key}: buckets out of order`);
        }
      }
    }
  }
}
