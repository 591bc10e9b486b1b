/**
 * The entry names of a zip with ZIP64 end records (`internal/zipNames`), which a build of a
 * `TARBALL` version reads to decide whether it fails on purpose: the count and the directory's
 * offset come from the ZIP64 end record, found through its locator, when the classic end
 * record caps them (Python's `zipfile` past 65,535 entries); a locator that points at no ZIP64
 * end record is no readable zip. And through the emulator: the fail marker past entry 65,535 of
 * such a zip fails the build.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { entryNames } from "../src/internal/zipNames.js"
import { dataOf, Harness, transports } from "./harness.js"
import { zip64Zip } from "./zipBytes.js"

// Past what the classic end record counts: the marker is the entry it would not see.
const many = [...Array.from({ length: 65_540 }, (_, i) => `src/f${i}.js`), "src/deep/.emulator-build-fail"]

describe("zipNames of a ZIP64 zip", () => {
  it("reads the count and the directory's offset from the ZIP64 end record when the end record caps them", () => {
    const names = ["main.js", "src/", "src/日本.txt"]
    expect(entryNames(zip64Zip(names, { capAll: true }))).toEqual(names)
    expect(entryNames(zip64Zip(names))).toEqual(names)
  })

  it("reads every one of 65,541 entries, where the classic end record counts 65,535", () => {
    const names = entryNames(zip64Zip(many))
    expect(names?.length).toBe(65_541)
    expect(names?.at(-1)).toBe("src/deep/.emulator-build-fail")
  })

  it("a locator that points at no ZIP64 end record, or past the zip: no names", () => {
    const zip = zip64Zip(["main.js"], { capAll: true })
    expect(entryNames(zip64Zip(["main.js"], { capAll: true, locatorAt: 0 }))).toBeUndefined()
    expect(entryNames(zip64Zip(["main.js"], { capAll: true, locatorAt: zip.length }))).toBeUndefined()
  })
})

interface BuildJson {
  readonly id: string
  readonly status: string
}

describe.each(transports)("a TARBALL build of a ZIP64 zip (%s)", (_kind, makeLayer) => {
  it.live("the fail marker past entry 65,535 fails the build; the same zip without it succeeds", () =>
    Effect.provide(
      Effect.gen(function*() {
        const h = yield* Harness
        const store = dataOf<{ id: string }>(yield* h.call("POST", "/v2/key-value-stores?name=actor-x-source"))
        const put = (key: string, body: Uint8Array) =>
          h.call("PUT", `/v2/key-value-stores/${store.id}/records/${key}`, {
            body,
            headers: { "content-type": "application/zip" }
          })
        yield* put("marked.zip", zip64Zip(many, { capAll: true }))
        yield* put("clean.zip", zip64Zip(many.slice(0, -1), { capAll: true }))
        const url = (key: string) => `${h.base}/v2/key-value-stores/${store.id}/records/${key}`
        yield* h.emulator.seedActor({
          name: "my-actor",
          versions: [
            { versionNumber: "0.1", sourceType: "TARBALL", tarballUrl: url("marked.zip") },
            { versionNumber: "0.2", sourceType: "TARBALL", tarballUrl: url("clean.zip") }
          ] as never
        })
        const outcomes = []
        for (const version of ["0.1", "0.2"]) {
          const build = dataOf<BuildJson>(
            yield* h.call("POST", `/v2/acts/owner~my-actor/builds?version=${version}&waitForFinish=10`)
          )
          const log = (yield* h.call("GET", `/v2/logs/${build.id}`)).text
          outcomes.push([version, build.status, /ERROR: (.*)/.exec(log)?.[1] ?? null])
        }
        expect(outcomes).toEqual([
          ["0.1", "FAILED", "the archive holds .emulator-build-fail"],
          ["0.2", "SUCCEEDED", null]
        ])
      }),
      makeLayer({ rateLimit: false, buildMillis: 300 })
    ), 60_000)
})
