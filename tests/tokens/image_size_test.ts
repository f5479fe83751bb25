import assert from "node:assert/strict";
import { imageSizeFromBase64 } from "../../lib/tokens/image_size.ts";
import {
  fallbackImageTokens,
  imageTokensForSize,
  imageTokensForSource,
} from "../../lib/tokens/image_tokens.ts";
import { gifBase64, jpegBase64, pngBase64, webpBase64 } from "./image_fixtures.ts";

Deno.test("imageSizeFromBase64 reads PNG, JPEG, GIF and WebP headers", async (t) => {
  const cases = [
    { name: "png", data: pngBase64(1024, 768), expected: { width: 1024, height: 768 } },
    { name: "jpeg", data: jpegBase64(640, 480), expected: { width: 640, height: 480 } },
    {
      name: "jpeg after 100 KB of EXIF",
      data: jpegBase64(3000, 2000, 100_000),
      expected: { width: 3000, height: 2000 },
    },
    { name: "gif", data: gifBase64(320, 200), expected: { width: 320, height: 200 } },
    { name: "webp (VP8X)", data: webpBase64(1920, 1080), expected: { width: 1920, height: 1080 } },
    { name: "not an image", data: btoa("just some text, not an image at all"), expected: undefined },
    { name: "not base64", data: "%%%%", expected: undefined },
  ];
  for (const { name, data, expected } of cases) {
    await t.step(name, () => assert.deepEqual(imageSizeFromBase64(data), expected));
  }
});

Deno.test("imageTokensForSize applies width*height/750 after Anthropic's downscaling", () => {
  assert.equal(imageTokensForSize(200, 200), 54);
  assert.equal(imageTokensForSize(1000, 500), 667);
  assert.equal(imageTokensForSize(1092, 1092), 1590);
  // Scaled down to ~1.2 MP (1549×774) before counting.
  assert.equal(imageTokensForSize(2000, 1000), 1599);
  // Long edge capped at 1568 px.
  assert.equal(imageTokensForSize(4000, 100), Math.ceil(1568 * 39 / 750));
});

Deno.test("imageTokensForSource falls back to ~1,600 when the size is unknown", () => {
  assert.equal(imageTokensForSource({ type: "url", data: undefined }), fallbackImageTokens);
  assert.equal(imageTokensForSource({ type: "base64", data: btoa("????") }), fallbackImageTokens);
  assert.equal(imageTokensForSource({ type: "base64", data: pngBase64(1000, 500) }), 667);
});
