/** The doctor's findings as a ✓/✗ table with a plain-words fix under each failure. */
import { type CheckResult, statusMark } from "../doctor/check_result.ts";
import { formatTable } from "./format_table.ts";

export function renderDoctor(results: CheckResult[]): string {
  const table = formatTable(results, [
    { header: " ", value: (result) => statusMark[result.status] },
    { header: "CHECK", value: (result) => result.name },
    { header: "RESULT", value: (result) => oneLine(result.detail) },
  ]);
  const fixes = results.filter((result) =>
    result.fix && (result.status === "fail" || result.status === "warn")
  );
  const lines = [table];
  if (fixes.length > 0) {
    lines.push("", "How to fix:");
    for (const result of fixes) {
      lines.push(`${statusMark[result.status]} ${result.name}`, `    ${result.fix}`);
    }
  }
  const failed = results.filter((result) => result.status === "fail").length;
  lines.push("", failed === 0 ? "Everything needed works." : `${failed} check(s) failed.`);
  return lines.join("\n");
}

/** Long upstream messages are cut so the table stays readable; the JSON form keeps them whole. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}
