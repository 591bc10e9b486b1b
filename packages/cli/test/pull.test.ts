// `versions pull` through the built executable against the loopback emulator: a random tree
// pushed and pulled back into a fresh directory is byte-equal; hostile names in a version
// body are refused with nothing written anywhere; an existing file is kept without --force;
// links already in the directory are never followed; Git, gist and tarball versions are named
// by their URL.
import * as fc from "effect/FastCheck"
import { strToU8, zipSync } from "fflate"
import { spawn } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Format from "../src/Format.js"
import { refusal } from "../src/SourceWriter.js"
import * as ZipLimits from "../src/ZipLimits.js"
import { bin, cli, makeHome, ownerToken, postVersion, startEmulator, tempDir, writeTree } from "./helpers.js"

const seed = 20261204
const content = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => new TextEncoder().encode(s)),
  fc.string({ maxLength: 40 }).map((s) => Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(s)]))
)
const segment = fc.array(fc.constantFrom("a", "b", "Z", "0", "-", "_", " ", ".", "é", "日本", "😀", "\\"), {
  minLength: 1,
  maxLength: 6
}).map((chars) => chars.join("")).filter((s) => s !== "." && s !== "..")
const extension = fc.constantFrom("", ".txt", ".js", ".bin", ".png")
const filePath = fc.tuple(fc.array(segment, { maxLength: 2 }), segment, extension).map(([dirs, base, ext]) =>
  [...dirs, base + ext].join("/")
)
const tree = fc.uniqueArray(filePath, { minLength: 1, maxLength: 8 })
  .map((paths) => paths.filter((p) => !paths.some((q) => q.startsWith(`${p}/`))))
  .chain((paths) =>
    fc.tuple(fc.constant(paths), fc.array(content, { minLength: paths.length, maxLength: paths.length }))
  )

/** Every file below `root` (no links followed) with its bytes, by relative path. */
const snapshot = (root: string): Record<string, Array<number>> => {
  const out: Record<string, Array<number>> = {}
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) visit(full)
      else out[path.relative(root, full)] = entry.isFile() ? [...fs.readFileSync(full)] : [-1]
    }
  }
  visit(root)
  return out
}

describe("refusal", () => {
  it("refuses names that leave the directory or cannot be written", () => {
    for (const name of ["../x", "/etc/x", "a/../../x", "a/..", "", "a//b", "./a", "a\0b"]) {
      expect({ name, refused: refusal(name) !== undefined }).toEqual({ name, refused: true })
    }
    expect(refusal("a\\..\\..\\x", "win32")).toBeDefined()
    for (const name of ["a", "a/b.txt", ".actor/actor.json", "..a", "a..b/c", "日本/😀 x"]) {
      expect({ name, refused: refusal(name) }).toEqual({ name, refused: undefined })
    }
  })
})

describe("versions pull", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  const home = makeHome({})
  const actor = "owner~pull-test"
  const create = async (body: unknown) => {
    expect(await postVersion(emulator.url, actor, body)).toBe(201)
  }
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await cli(["actors", "create", "pull-test"], { env, home })).code).toBe(0)
  })
  afterAll(() => emulator.close())

  it(`push then pull into a fresh directory: the same tree, byte for byte (15 runs, seed ${seed})`, async () => {
    await fc.assert(
      fc.asyncProperty(tree, async ([paths, bodies]) => {
        const source = tempDir()
        paths.forEach((p, i) => writeTree(source, { [p]: bodies[i]! }))
        const pushed = await cli(["versions", "push", actor, source, "--version-number", "1.0"], { env, home })
        expect(pushed.code).toBe(0)
        const target = path.join(tempDir(), "fresh")
        const pulled = await cli(["versions", "pull", actor, "1.0", target], { env, home })
        expect(pulled.stderr).toContain(`Pulled version 1.0 of ${actor} into ${target}`)
        expect(pulled.code).toBe(0)
        expect(snapshot(target)).toEqual(snapshot(source))
      }),
      { numRuns: 15, seed }
    )
  }, 120_000)

  it("without DIR makes a new directory named after the Actor and version, and refuses a non-empty one", async () => {
    await create({
      versionNumber: "1.1",
      sourceType: "SOURCE_FILES",
      sourceFiles: [{ name: "a.txt", format: "TEXT", content: "A" }]
    })
    const cwd = tempDir()
    const first = await cli(["versions", "pull", actor, "1.1", path.join(cwd, "x")], { env, home })
    expect(first.code).toBe(0)
    // In `cwd` (the helper runs where the tests run); async, so that the emulator can answer.
    const run = () =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, "versions", "pull", actor, "1.1"], {
          cwd,
          env: { PATH: process.env.PATH ?? "", HOME: home, ...env }
        })
        let stderr = ""
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
        child.on("close", (status) => resolve({ status, stderr }))
      })
    const made = await run()
    expect(made.status).toBe(0)
    expect(fs.readFileSync(path.join(cwd, "pull-test-1.1", "a.txt"), "utf8")).toBe("A")
    const again = await run()
    expect(again.status).toBe(2)
    expect(again.stderr).toContain("the directory pull-test-1.1 exists and is not empty")
  })

  it("refuses ../x, /etc/x and a/../../x in a version body and writes nothing anywhere", async () => {
    const outside = tempDir()
    const target = path.join(outside, "inner")
    const escape = path.relative("/", path.join(outside, "escaped.txt"))
    await create({
      versionNumber: "2.0",
      sourceType: "SOURCE_FILES",
      sourceFiles: [
        { name: "ok.txt", format: "TEXT", content: "fine" },
        { name: "../x", format: "TEXT", content: "bad" },
        { name: `/${escape}`, format: "TEXT", content: "bad" },
        { name: "a/../../x", format: "BASE64", content: "YmFk" }
      ]
    })
    const result = await cli(["versions", "pull", actor, "2.0", target], { env, home })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("refused 3 names in the version")
    expect(result.stderr).toContain("\"../x\" (it leads out of the directory (a .. part))")
    expect(result.stderr).toContain("(it is an absolute path)")
    expect(result.stderr).toContain("nothing was written")
    expect(fs.readdirSync(outside)).toEqual([])
  })

  it("keeps an existing file without --force, naming it; overwrites it with --force", async () => {
    await create({
      versionNumber: "3.0",
      sourceType: "SOURCE_FILES",
      sourceFiles: [
        { name: "src", folder: true },
        { name: "src/main.js", format: "TEXT", content: "new" },
        { name: "new.txt", format: "TEXT", content: "n" }
      ]
    })
    const target = writeTree(tempDir(), { "src/main.js": "old", "mine.txt": "keep" })
    const refused = await cli(["versions", "pull", actor, "3.0", target], { env, home })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain("1 path in the way: \"src/main.js\" exists")
    expect(refused.stderr).toContain("pass --force")
    expect(snapshot(target)).toEqual(snapshot(writeTree(tempDir(), { "src/main.js": "old", "mine.txt": "keep" })))
    const forced = await cli(["versions", "pull", actor, "3.0", target, "--force"], { env, home })
    expect(forced.code).toBe(0)
    expect(fs.readFileSync(path.join(target, "src/main.js"), "utf8")).toBe("new")
    expect(fs.readFileSync(path.join(target, "mine.txt"), "utf8")).toBe("keep")
    expect(fs.readdirSync(path.join(target, "src"))).toEqual(["main.js"])
  })

  it("never follows a link already in the directory, even with --force", async () => {
    const outside = tempDir()
    const target = tempDir()
    fs.symlinkSync(outside, path.join(target, "src"))
    const result = await cli(["versions", "pull", actor, "3.0", target, "--force"], { env, home })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("\"src\" is a link here")
    expect(fs.readdirSync(outside)).toEqual([])
    expect(fs.readdirSync(target)).toEqual(["src"])
  })

  it("names the URL of a Git or gist version and writes nothing", async () => {
    const cases = [
      ["4.0", { sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/jane/actor" }, "the Git repository"],
      ["4.1", { sourceType: "GITHUB_GIST", gitHubGistUrl: "https://gist.github.com/jane/1" }, "the gist"]
    ] as const
    for (const [versionNumber, source, what] of cases) {
      await create({ versionNumber, ...source })
      const target = path.join(tempDir(), "t")
      const result = await cli(["versions", "pull", actor, versionNumber, target], { env, home })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`version ${versionNumber} is built from ${what} ${Object.values(source)[1]}`)
      expect(fs.existsSync(target)).toBe(false)
    }
  })

  describe("a TARBALL version", () => {
    let server: http.Server
    let zipUrl: string
    let served: Uint8Array = new Uint8Array(0)
    beforeAll(async () => {
      server = http.createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/zip", connection: "close" })
        res.end(served)
      })
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      zipUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v.zip`
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    const pullZip = async (versionNumber: string, zip: Uint8Array) => {
      served = zip
      await create({ versionNumber, sourceType: "TARBALL", tarballUrl: zipUrl })
      const outside = tempDir()
      const target = path.join(outside, "inner")
      const result = await cli(["versions", "pull", actor, versionNumber, target], { env, home })
      return { result, outside, target }
    }

    it("a push over 3 MiB (zip in the key-value store) pulls back byte for byte", async () => {
      const source = writeTree(tempDir(), {
        "big.bin": crypto.randomBytes(3_300_000),
        "src/main.js": "console.log(1)\n",
        "deep/er/日本.txt": "x"
      })
      const pushed = await cli(["versions", "push", actor, source, "--version-number", "5.0"], { env, home })
      expect(pushed.code).toBe(0)
      const target = path.join(tempDir(), "fresh")
      const pulled = await cli(["versions", "pull", actor, "5.0", target], { env, home })
      expect(pulled.stderr).toContain("Pulled version 5.0")
      expect(pulled.code).toBe(0)
      expect(snapshot(target)).toEqual(snapshot(source))
    }, 60_000)

    it("refuses entries named ../x, /etc/x or a/../../x, and writes nothing", async () => {
      for (const [n, name] of [["1", "../x"], ["2", "/etc/x"], ["3", "a/../../x"]] as const) {
        const { outside, result } = await pullZip(
          `6.${n}`,
          zipSync({ "ok.txt": strToU8("ok"), [name]: strToU8("bad") })
        )
        expect(result.code).toBe(2)
        expect(result.stderr).toContain("refused 1 name in the version")
        expect(fs.readdirSync(outside)).toEqual([])
      }
    })

    it("refuses a symbolic link entry", async () => {
      const zip = zipSync({ "ok.txt": strToU8("ok"), link: [strToU8("/etc/passwd"), { os: 3, attrs: 0o120777 << 16 }] })
      const { outside, result } = await pullZip("6.4", zip)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("the zip holds a symbolic link: \"link\"")
      expect(fs.readdirSync(outside)).toEqual([])
    })

    it("refuses a zip that declares more than the inflate bound (a zip bomb) before inflating", async () => {
      const zip = zipSync({ "a.txt": strToU8("a") })
      const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
      const central = zip.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50)
      view.setUint32(central + 24, 0xffff_fff0, true)
      const { outside, result } = await pullZip("6.5", zip)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(
        `the zip inflates to 4096.0 MiB, over the ${Format.bytes(ZipLimits.maxInflatedBytes)} bound`
      )
      expect(fs.readdirSync(outside)).toEqual([])
    })

    it("refuses an entry that inflates to more than it declares (cut at its declared size, its CRC differs)", async () => {
      const zip = zipSync({ "a.bin": new Uint8Array(1_000_000) })
      const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
      for (let i = 0; i < zip.length - 4; i++) {
        if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 10, true)
        if (view.getUint32(i, true) === 0x04034b50) view.setUint32(i + 22, 10, true)
      }
      const { outside, result } = await pullZip("6.6", zip)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("the zip entry \"a.bin\" does not inflate to its declared size and CRC")
      expect(fs.readdirSync(outside)).toEqual([])
    })
  })
})
