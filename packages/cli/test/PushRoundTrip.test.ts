// Round trip of random file contents through the push collection: every byte that is sent
// decodes (TEXT as UTF-8, BASE64 from base64) back to exactly the bytes on disk.
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as SourceDirectory from "../src/SourceDirectory.js"
import { tempDir } from "./helpers.js"

const bom = Uint8Array.from([0xef, 0xbb, 0xbf])
const content = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => new TextEncoder().encode(s)),
  fc.string({ maxLength: 40 }).map((s) => new TextEncoder().encode(s.replace(/\n/g, "\r\n"))),
  fc.string({ maxLength: 40 }).map((s) => Uint8Array.from([...bom, ...new TextEncoder().encode(s)])),
  fc.uint8Array({ maxLength: 8 }).map((b) => Uint8Array.from([0x61, 0, ...b, 0xff, 0xfe]))
)
const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}\.(txt|js|bin|json|png|dat)$/), {
  minLength: 1,
  maxLength: 6
})

describe("push round trip", () => {
  it("every byte sent decodes back to the bytes on disk (100 runs, seed 20261202)", async () => {
    await fc.assert(
      fc.asyncProperty(
        names.chain((ns) =>
          fc.tuple(fc.constant(ns), fc.array(content, { minLength: ns.length, maxLength: ns.length }))
        ),
        async ([ns, bodies]) => {
          const dir = tempDir()
          ns.forEach((n, i) => fs.writeFileSync(path.join(dir, n), bodies[i]!))
          const collected = await Effect.runPromise(Effect.provide(SourceDirectory.collect(dir), NodeFileSystem.layer))
          for (const [i, n] of ns.entries()) {
            const file = collected.sourceFiles.find((f) => f.name === n)
            expect(file && "content" in file).toBe(true)
            if (!file || !("content" in file)) continue
            const back = file.format === "TEXT"
              ? new TextEncoder().encode(file.content)
              : Uint8Array.from(Buffer.from(file.content, "base64"))
            expect(Buffer.from(back).equals(Buffer.from(bodies[i]!))).toBe(true)
          }
        }
      ),
      { numRuns: 100, seed: 20261202 }
    )
  })
})
