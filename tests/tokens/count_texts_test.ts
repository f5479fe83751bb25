import assert from "node:assert/strict";
import { countTexts, defaultCountLimits, pieceEnds } from "../../lib/tokens/count_texts.ts";
import { loadTokenizer } from "../../lib/tokens/tokenizer.ts";

function pieces(text: string, size: number): string[] {
  let start = 0;
  return pieceEnds(text, size).map((end) => text.slice(start, start = end));
}

const prose = Array.from(
  { length: 400 },
  (_, index) =>
    `Line ${index}: the gateway reads déjà-vu requests, 你好世界 🚀, and\n  answers   them with code like f(x) = x * ${index};\n\n`,
).join("");

Deno.test("pieceEnds cuts within the size, before whitespace, never inside a surrogate pair", () => {
  for (const text of [prose, "a".repeat(5_000), "🚀".repeat(3_000), "ab 🚀".repeat(1_000)]) {
    const cut = pieces(text, 256);
    assert.equal(cut.join(""), text);
    for (const piece of cut) {
      assert.ok(piece.length > 0 && piece.length <= 256, `piece of ${piece.length}`);
      assert.ok(!/^[\udc00-\udfff]/.test(piece), "piece starts with a low surrogate");
    }
  }
  // With whitespace in the window, every cut but the last lands right before a whitespace character.
  for (const piece of pieces(prose, 256).slice(1)) assert.match(piece, /^\s/);
});

Deno.test("countTexts matches the whole-text count for ordinary text and short texts", async () => {
  const count = await loadTokenizer();
  const whole = count(prose);
  const cut = await countTexts([prose], count);
  // Cuts sit before whitespace, so only a blank-line run split in two can differ: well under 1 %.
  assert.ok(Math.abs(cut - whole) <= whole * 0.005, `${cut} vs ${whole}`);
  assert.equal(await countTexts(["Hello, world!", "", "hello world"], count), 6);
});

Deno.test("countTexts does work linear in the input and capped: 200 KB of one letter", async () => {
  const lengths: number[] = [];
  const stub = (text: string) => {
    lengths.push(text.length);
    return Math.ceil(text.length / 3);
  };
  const letter = "a".repeat(200 * 1024);
  const tokens = await countTexts([letter], stub);
  assert.ok(Math.max(...lengths) <= defaultCountLimits.pieceChars);
  const counted = lengths.reduce((sum, length) => sum + length, 0);
  assert.ok(
    counted <= defaultCountLimits.exactChars + defaultCountLimits.pieceChars,
    `${counted} chars counted`,
  );
  // The sample is scaled to the whole input.
  assert.ok(Math.abs(tokens - letter.length / 3) < letter.length * 0.01, `${tokens}`);
  // Under the cap, every character is counted once.
  lengths.length = 0;
  await countTexts(["b".repeat(10_000), "c".repeat(5_000)], stub);
  assert.equal(lengths.reduce((sum, length) => sum + length, 0), 15_000);
});

Deno.test("countTexts gives the event loop back between slices", async () => {
  let timerRan = false;
  setTimeout(() => timerRan = true, 0);
  let timerSeenDuringCount = false;
  await countTexts(["x ".repeat(4_000)], (text) => {
    timerSeenDuringCount ||= timerRan;
    return text.length;
  }, { pieceChars: 64, exactChars: 1_000_000, sliceMs: 0 });
  assert.ok(timerSeenDuringCount, "a timer due during the count never ran");
});

Deno.test("countTexts with the real tokenizer on 200 KB of one letter stays near one token per few letters", async () => {
  const count = await loadTokenizer();
  const tokens = await countTexts(["a".repeat(200 * 1024)], count);
  // o200k merges runs of one letter into multi-letter tokens; whatever the exact figure, it is bounded.
  assert.ok(tokens > 0 && tokens <= 200 * 1024, `${tokens}`);
});
