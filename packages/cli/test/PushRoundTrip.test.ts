// Round trip of random files through `versions push`: contents with BOMs, CRLF, invalid
// UTF-8, NUL bytes, empty and binary files, under random valid names (spaces, non-ASCII,
// nested folders). Every byte that is sent and read back decodes (TEXT as UTF-8, BASE64 from
// base64) to exactly the bytes on disk: first through the collection alone, then through the
// client and the in-memory emulator, then through the built executable against the loopback
// emulator, read back with `versions get --json`. A name that is not UTF-8 is refused.
import { ActorVersions, Apify, Retry } from "@effect-apify/api"
import type { SourceFile } from "@effect-apify/domain"
import { ActorId, VersionNumber } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as PushPlan from "../src/PushPlan.js"
import * as SourceDirectory from "../src/SourceDirectory.js"
import { cli, makeHome, ownerToken, startEmulator, tempDir } from "./helpers.js"

const seed = 20261202
const bom = Uint8Array.from([0xef, 0xbb, 0xbf])
const content = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => new TextEncoder().encode(s)),
  fc.string({ maxLength: 40 }).map((s) => new TextEncoder().encode(s.replace(/\n/g, "\r\n"))),
  fc.string({ maxLength: 40 }).map((s) => Uint8Array.from([...bom, ...new TextEncoder().encode(s)])),
  fc.uint8Array({ maxLength: 8 }).map((b) => Uint8Array.from([0x61, 0, ...b, 0xff, 0xfe]))
)

// Name segments from characters that no fixed exclude or ignore file name can be made of.
const segment = fc.array(fc.constantFrom("a", "b", "Z", "0", "-", "_", " ", ".", "é", "ß", "日本", "😀", "\\"), {
  minLength: 1,
  maxLength: 6
}).map((chars) => chars.join("")).filter((s) => s !== "." && s !== "..")
const extension = fc.constantFrom("", ".txt", ".js", ".json", ".bin", ".png", ".dat", ".TXT", ".md")
const filePath = fc.tuple(fc.array(segment, { maxLength: 2 }), segment, extension).map(([dirs, base, ext]) =>
  [...dirs, base + ext].join("/")
)
// Files whose paths are unique and never a folder of one another.
const tree = fc.uniqueArray(filePath, { minLength: 1, maxLength: 8 })
  .map((paths) => paths.filter((p) => !paths.some((q) => q.startsWith(`${p}/`))))
  .chain((paths) =>
    fc.tuple(fc.constant(paths), fc.array(content, { minLength: paths.length, maxLength: paths.length }))
  )

const writeFiles = (paths: ReadonlyArray<string>, bodies: ReadonlyArray<Uint8Array>): string => {
  const dir = tempDir()
  paths.forEach((p, i) => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true })
    fs.writeFileSync(path.join(dir, p), bodies[i]!)
  })
  return dir
}

const bytesOf = (file: { readonly format?: string; readonly content?: string }): Buffer =>
  file.format === "BASE64" ? Buffer.from(file.content ?? "", "base64") : Buffer.from(file.content ?? "", "utf8")

/** The files read back: exactly the paths written, each with the same bytes. */
const expectSame = (
  back: ReadonlyArray<{ readonly name: string; readonly format?: string; readonly content?: string }>,
  paths: ReadonlyArray<string>,
  bodies: ReadonlyArray<Uint8Array>
) => {
  const files = back.filter((f) => f.format !== undefined)
  expect(files.map((f) => f.name).sort()).toEqual([...paths].sort())
  for (const [i, p] of paths.entries()) {
    const file = files.find((f) => f.name === p)!
    expect({ name: p, bytes: [...bytesOf(file)] }).toEqual({ name: p, bytes: [...bodies[i]!] })
  }
}

describe("push round trip", () => {
  it(`the collection decodes back to the bytes on disk (200 runs, seed ${seed})`, async () => {
    await fc.assert(
      fc.asyncProperty(tree, async ([paths, bodies]) => {
        const collected = await Effect.runPromise(SourceDirectory.collect(writeFiles(paths, bodies)))
        expectSame(collected.sourceFiles as ReadonlyArray<SourceFile.SourceFile>, paths, bodies)
      }),
      { numRuns: 200, seed }
    )
  })

  it(`through the client and the in-memory emulator, read back byte-exact (200 runs, seed ${seed})`, async () => {
    const actorId = ActorId.make("owner~round-trip")
    const services = Apify.layer({ baseUrl: "http://emulator.test", token: Redacted.make(ownerToken) }).pipe(
      Layer.provide(Retry.none),
      Layer.provideMerge(Emulator.layerHttpClient({ rateLimit: false })),
      Layer.merge(NodeFileSystem.layer)
    )
    await fc.assert(
      fc.asyncProperty(tree, async ([paths, bodies]) => {
        const directory = writeFiles(paths, bodies)
        const back = await Effect.runPromise(
          Effect.gen(function*() {
            yield* Effect.flatMap(Emulator.Emulator, (emulator) => emulator.seedActor({ name: "round-trip" }))
            const plan = yield* PushPlan.make({
              directory,
              versionNumber: Option.some("1.0"),
              buildTag: Option.none(),
              allowMissingSecrets: false
            })
            const versions = yield* ActorVersions.ActorVersions
            yield* versions.create(actorId, plan.body)
            return yield* versions.get(actorId, VersionNumber.VersionNumber.make("1.0"))
          }).pipe(Effect.provide(services))
        )
        expect(back.sourceType).toBe("SOURCE_FILES")
        expectSame("sourceFiles" in back ? back.sourceFiles : [], paths, bodies)
      }),
      { numRuns: 200, seed }
    )
  })

  describe("through the executable and the loopback emulator", () => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>
    let env: Record<string, string>
    const home = makeHome({})
    const actor = "owner~round-trip"
    beforeAll(async () => {
      emulator = await startEmulator({ rateLimit: false })
      env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
      expect((await cli(["actors", "create", "round-trip"], { env, home })).code).toBe(0)
    })
    afterAll(() => emulator.close())

    it(`versions push, then versions get --json: every byte equal (20 runs, seed ${seed})`, async () => {
      await fc.assert(
        fc.asyncProperty(tree, async ([paths, bodies]) => {
          const dir = writeFiles(paths, bodies)
          const pushed = await cli(["versions", "push", actor, dir, "--version-number", "1.0"], { env, home })
          expect(pushed.stderr).toBe("")
          expect(pushed.code).toBe(0)
          const got = await cli(["versions", "get", actor, "1.0", "--json"], { env, home })
          expect(got.code).toBe(0)
          expectSame(JSON.parse(got.stdout).sourceFiles, paths, bodies)
        }),
        { numRuns: 20, seed }
      )
    }, 120_000)

    it("refuses a file name that is not UTF-8, naming the escaped path, and sends nothing", async () => {
      const dir = writeFiles(["ok.js", "sub dir/keep.txt"], [new Uint8Array([0x31]), new Uint8Array([0x32])])
      const bad = Buffer.concat([
        Buffer.from(path.join(dir, "sub dir", "na")),
        Buffer.from([0xef, 0xff]),
        Buffer.from("ve.txt")
      ])
      fs.writeFileSync(bad, "x")
      const before = await emulator.run(emulator.server.emulator.requestCount)
      const result = await cli(["versions", "push", actor, dir, "--version-number", "2.0"], { env, home })
      expect(result.code).toBe(2)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain(
        "the file name sub dir/na\\xef\\xffve.txt is not valid UTF-8 (bytes shown as \\xNN); Apify stores file names as text"
      )
      expect(result.stderr).toContain("exclude it in .actorignore")
      expect(await emulator.run(emulator.server.emulator.requestCount)).toBe(before)
    })
  })
})
