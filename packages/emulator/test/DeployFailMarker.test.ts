/**
 * What fails a build on purpose, by one rule for both sources (found by an outside attack): a
 * file named exactly `.emulator-build-fail`, in any folder, as a `SOURCE_FILES` file or a zip
 * entry (a `TARBALL` build failed when any byte of its zip spelled the name, e.g.
 * `src/no.emulator-build-fail.txt`, or a record that is no zip at all). And the log: a value
 * from a request (a build tag with a line break) cannot forge a line of its own.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { dataOf, Harness, transports } from "./harness.js"
import { storedZip } from "./zipBytes.js"

const buildMillis = 300

interface BuildJson {
  readonly id: string
  readonly status: string
}

describe.each(transports)("what fails a build, and its log (%s)", (_kind, makeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Harness>) =>
    Effect.provide(effect, makeLayer({ rateLimit: false, buildMillis }))

  const statusOf = (version: string) =>
    Effect.gen(function*() {
      const h = yield* Harness
      const build = dataOf<BuildJson>(
        yield* h.call("POST", `/v2/acts/owner~my-actor/builds?version=${version}&waitForFinish=10`)
      )
      return [build.status, (yield* h.call("GET", `/v2/logs/${build.id}`)).text] as const
    })

  it.live("a file named exactly .emulator-build-fail, in any folder, as a file or a zip entry", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      const store = dataOf<{ id: string }>(yield* h.call("POST", "/v2/key-value-stores?name=actor-x-source"))
      const put = (key: string, body: Uint8Array) =>
        h.call("PUT", `/v2/key-value-stores/${store.id}/records/${key}`, {
          body,
          headers: { "content-type": "application/zip" }
        })
      const url = (key: string) => `${h.base}/v2/key-value-stores/${store.id}/records/${key}`
      yield* put("near.zip", storedZip([["main.js", "1"], ["src/no.emulator-build-fail.txt", ".emulator-build-fail"]]))
      yield* put("marked.zip", storedZip([["main.js", "1"], ["src/.emulator-build-fail", ""]]))
      yield* put("not-a-zip.zip", new TextEncoder().encode("PK\u0003\u0004src/.emulator-build-fail"))
      const text = (name: string) => ({ name, format: "TEXT", content: "" })
      yield* h.emulator.seedActor({
        name: "my-actor",
        versions: [
          { versionNumber: "0.1", sourceType: "SOURCE_FILES", sourceFiles: [text("src/no.emulator-build-fail.txt")] },
          { versionNumber: "0.2", sourceType: "SOURCE_FILES", sourceFiles: [text("src/.emulator-build-fail")] },
          { versionNumber: "0.3", sourceType: "TARBALL", tarballUrl: url("near.zip") },
          { versionNumber: "0.4", sourceType: "TARBALL", tarballUrl: url("marked.zip") },
          { versionNumber: "0.5", sourceType: "TARBALL", tarballUrl: url("not-a-zip.zip") }
        ] as never
      })
      const outcomes = []
      for (const version of ["0.1", "0.2", "0.3", "0.4", "0.5"]) {
        const [status, log] = yield* statusOf(version)
        outcomes.push([version, status, /ERROR: (.*)/.exec(log)?.[1] ?? null])
      }
      expect(outcomes).toEqual([
        ["0.1", "SUCCEEDED", null],
        ["0.2", "FAILED", "the source holds .emulator-build-fail"],
        ["0.3", "SUCCEEDED", null],
        ["0.4", "FAILED", "the archive holds .emulator-build-fail"],
        // not a zip: its bytes spell the name, but it has no entries to look at
        ["0.5", "SUCCEEDED", null]
      ])
    })))

  it.live("a line break in a build tag is escaped in the log: no value forges a line", () =>
    run(Effect.gen(function*() {
      const h = yield* Harness
      yield* h.emulator.seedActor({
        name: "my-actor",
        versions: [{ versionNumber: "0.1", sourceType: "SOURCE_FILES", sourceFiles: [] }] as never
      })
      const tag = encodeURIComponent("x\nfake line\r\u001b[2J\u2028")
      const build = dataOf<BuildJson>(
        yield* h.call("POST", `/v2/acts/owner~my-actor/builds?version=0.1&tag=${tag}&waitForFinish=10`)
      )
      expect(build.status).toBe("SUCCEEDED")
      const log = (yield* h.call("GET", `/v2/logs/${build.id}`)).text
      const lines = log.trimEnd().split("\n")
      expect(lines.every((line) => /^\d{4}-\d\d-\d\dT[\d:.]+Z /.test(line))).toBe(true)
      expect(lines.at(-1)).toMatch(/ACTOR: Build finished: SUCCEEDED\. Tagged "x\\nfake line\\r\\u001b\[2J\\u2028"\.$/)
    })))
})
