import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ZipSource from "../src/ZipSource.js"

describe("ZipSource.write", () => {
  it.scoped("refuses more files than a zip without ZIP64 counts, before reading any", () =>
    Effect.gen(function*() {
      const files = Array.from({ length: ZipSource.maxEntries + 1 }, (_, i) => ({
        name: `f${i}.txt`,
        path: `/nonexistent/effect-apify/f${i}.txt`,
        bytes: 1,
        dev: 0,
        ino: i
      }))
      const result = yield* Effect.either(ZipSource.write(files))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.include(result.left.message, "65536 files are more than a zip without ZIP64 holds (65535)")
      }
    }))
})
