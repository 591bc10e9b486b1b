// `versions pull` of hostile versions through the built executable against the loopback
// emulator (found by an outside attack): a ZIP64 zip past the entry bound, entries hidden past
// the declared count, a ZIP64 record that disagrees; BASE64 content that is not base64; names
// with control characters, lone surrogates, over-long parts; an existing file where a folder
// goes. Each is refused with exit 2, a message naming what is wrong (escaped), and nothing
// written; push refuses control characters in names as pull does.
import { strToU8 } from "fflate"
import * as fs from "node:fs"
import * as http from "node:http"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, postVersion, startEmulator, tempDir, writeTree } from "./helpers.js"
import { buildZip, type ZipEntry } from "./zipBytes.js"

const noControl = (text: string) => expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)

describe("versions pull of hostile versions", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  let server: http.Server
  let zipUrl: string
  let served: Uint8Array = new Uint8Array(0)
  const home = makeHome({})
  const actor = "owner~pull-hostile"
  const create = async (body: unknown) => {
    expect(await postVersion(emulator.url, actor, body)).toBe(201)
  }
  let next = 0
  /** Creates a version from `source` and pulls it into a new directory inside an empty one. */
  const pull = async (source: Record<string, unknown>, into?: string) => {
    const versionNumber = `1.${next++}`
    await create({ versionNumber, ...source })
    const outside = tempDir()
    const target = into ?? path.join(outside, "inner")
    const result = await cli(["versions", "pull", actor, versionNumber, target], { env, home })
    return { result, outside, target }
  }
  const pullZip = (zip: Uint8Array) => {
    served = zip
    return pull({ sourceType: "TARBALL", tarballUrl: zipUrl })
  }
  const pullFiles = (sourceFiles: ReadonlyArray<unknown>, into?: string) =>
    pull({ sourceType: "SOURCE_FILES", sourceFiles }, into)

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await cli(["actors", "create", "pull-hostile"], { env, home })).code).toBe(0)
    server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/zip", connection: "close" })
      res.end(served)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    zipUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v.zip`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await emulator.close()
  })

  describe("a TARBALL version", () => {
    it("refuses a ZIP64 zip of 100,001 entries (as Python's zipfile writes it: 65,535 in the end record)", async () => {
      const entries: Array<ZipEntry> = Array.from({ length: 100_001 }, (_, i) => ({ name: `f/${i}` }))
      const { outside, result } = await pullZip(buildZip(entries, { zip64: true }))
      expect(result.stderr).toContain("the zip has 100,001 entries, over 100,000")
      expect(result.code).toBe(2)
      expect(fs.readdirSync(outside)).toEqual([])
    }, 60_000)

    it("pulls a ZIP64 zip (sizes and offsets in ZIP64 fields) byte for byte", async () => {
      const { result, target } = await pullZip(buildZip([
        { name: "a.txt", data: strToU8("alpha") },
        { name: "src/b.bin", data: new Uint8Array(70_000).fill(9), method: 8 }
      ], { zip64Extras: true }))
      expect(result.stderr).toContain("2 files")
      expect(result.code).toBe(0)
      expect(fs.readFileSync(path.join(target, "a.txt"), "utf8")).toBe("alpha")
      expect(fs.readFileSync(path.join(target, "src/b.bin"))).toEqual(Buffer.alloc(70_000, 9))
    })

    it("refuses entries hidden past the count the end record declares (a wrapped count)", async () => {
      const { outside, result } = await pullZip(
        buildZip([{ name: "a.txt", data: strToU8("a") }, { name: "hidden.txt", data: strToU8("h") }], { endCount: 1 })
      )
      expect(result.stderr).toContain("the zip's central directory holds more than the 1 entry its end record declares")
      expect(result.code).toBe(2)
      expect(fs.readdirSync(outside)).toEqual([])
    })

    it("refuses a ZIP64 end record that disagrees with the end record (fflate read the other count)", async () => {
      const { outside, result } = await pullZip(
        buildZip([{ name: "a.txt", data: strToU8("a") }, { name: "b.txt", data: strToU8("b") }], {
          zip64: true,
          endCount: 1
        })
      )
      expect(result.stderr).toContain("the zip's ZIP64 end record (2 entries) disagrees with its end record (1)")
      expect(result.code).toBe(2)
      expect(fs.readdirSync(outside)).toEqual([])
    })

    it("refuses entry names with control characters, escaped, and names listed twice", async () => {
      const control = await pullZip(buildZip([{ name: "ok.txt" }, { name: "a\u001b]0;pwned\u0007\r.txt" }]))
      expect(control.result.stderr).toContain(
        "refused 1 name in the version: \"a\\u001b]0;pwned\\u0007\\r.txt\" (it holds a control character)"
      )
      noControl(control.result.stderr)
      expect(control.result.code).toBe(2)
      expect(fs.readdirSync(control.outside)).toEqual([])
      const twice = await pullZip(
        buildZip([{ name: "a.txt", data: strToU8("1") }, { name: "a.txt", data: strToU8("2") }])
      )
      expect(twice.result.stderr).toContain("the version lists the file \"a.txt\" twice")
      expect(twice.result.code).toBe(2)
      expect(fs.readdirSync(twice.outside)).toEqual([])
    })
  })

  describe("a SOURCE_FILES version", () => {
    it("refuses BASE64 content that is not base64, naming the file; line breaks are allowed", async () => {
      const { outside, result } = await pullFiles([
        { name: "ok.bin", format: "BASE64", content: "AAEC" },
        { name: "bad.bin", format: "BASE64", content: "not base64!" },
        { name: "cut.bin", format: "BASE64", content: "QUJD\nRA" }
      ])
      expect(result.stderr).toContain(
        "refused the BASE64 content of 2 files in the version: \"bad.bin\" (\" \" at character 3), \"cut.bin\" (Length must be a multiple of 4, but is 6)"
      )
      expect(result.code).toBe(2)
      expect(fs.readdirSync(outside)).toEqual([])
      const wrapped = await pullFiles([{ name: "w.bin", format: "BASE64", content: "QUJD\r\nREVG\n" }])
      expect(wrapped.result.code).toBe(0)
      expect(fs.readFileSync(path.join(wrapped.target, "w.bin"), "utf8")).toBe("ABCDEF")
    })

    it("refuses names with control characters, lone surrogates, over-long parts, / at the end, . parts", async () => {
      const names = [
        "esc\u001b[2J",
        "bel\u0007",
        "cr\r",
        "dir/lf\n",
        "del\u007f",
        "csi\u009b31m",
        "tab\t",
        "lone\ud800",
        `${"x".repeat(256)}.txt`,
        "folder/",
        "a/./b"
      ]
      const { outside, result } = await pullFiles([
        { name: "ok.txt", format: "TEXT", content: "ok" },
        ...names.map((name) => ({ name, format: "TEXT", content: "bad" }))
      ])
      expect(result.stderr).toContain(
        "refused 11 names in the version: \"esc\\u001b[2J\" (it holds a control character)"
      )
      expect(result.stderr).toContain("\"bel\\u0007\" (it holds a control character)")
      expect(result.stderr).toContain("\"dir/lf\\n\" (it holds a control character)")
      expect(result.stderr).toContain("and 6 more")
      noControl(result.stderr)
      expect(result.code).toBe(2)
      expect(fs.readdirSync(outside)).toEqual([])
      const rest = await pullFiles(names.slice(5).map((name) => ({ name, format: "TEXT", content: "bad" })))
      for (
        const shown of [
          "\"csi\\x9b31m\" (it holds a control character)",
          "\"tab\\t\" (it holds a control character)",
          "\"lone\\ud800\" (it holds a lone surrogate (not Unicode text))",
          `"${"x".repeat(256)}.txt" (a part is over 255 bytes)`,
          "\"folder/\" (it has an empty or . part)"
        ]
      ) expect(rest.result.stderr).toContain(shown)
      expect(rest.result.code).toBe(2)
      expect(fs.readdirSync(rest.outside)).toEqual([])
    })

    it("refuses a file and a folder with one name", async () => {
      const { outside, result } = await pullFiles([
        { name: "a", format: "TEXT", content: "file" },
        { name: "a/b", format: "TEXT", content: "below" }
      ])
      expect(result.stderr).toContain("the version lists \"a\" as a file and as a folder")
      expect(result.code).toBe(2)
      expect(fs.readdirSync(outside)).toEqual([])
    })

    it("names an existing file where the version has a folder, and a path too long to write", async () => {
      const target = writeTree(tempDir(), { src: "a file" })
      const { result } = await pullFiles([{ name: "src/main.js", format: "TEXT", content: "x" }], target)
      expect(result.stderr).toContain("1 path in the way: \"src\" is not a folder here")
      expect(result.code).toBe(2)
      expect(fs.readdirSync(target)).toEqual(["src"])
      const deep = Array.from({ length: 20 }, () => "d".repeat(250)).join("/")
      const long = await pullFiles([
        { name: "first.txt", format: "TEXT", content: "1" },
        { name: `${deep}/f.txt`, format: "TEXT", content: "2" }
      ])
      expect(long.result.stderr).toContain("the path is too long for the system")
      expect(long.result.code).toBe(2)
      expect(fs.readdirSync(long.outside)).toEqual([])
    })
  })

  it("push refuses a name with a control character as pull does, unless .actorignore leaves it out", async () => {
    const source = writeTree(tempDir(), { "ok.txt": "ok", "Icon\r": "", "a\u001b[2J.txt": "x" })
    const refused = await cli(["versions", "push", actor, source, "--version-number", "2.0"], { env, home })
    expect(refused.stderr).toContain("the file name Icon\\r holds a control character (shown escaped)")
    noControl(refused.stderr)
    expect(refused.code).toBe(2)
    fs.writeFileSync(path.join(source, ".actorignore"), "Icon?\na?\\[2J.txt\n")
    const pushed = await cli(["versions", "push", actor, source, "--version-number", "2.0"], { env, home })
    expect(pushed.stdout).toContain("Created version 2.0 of owner~pull-hostile: 2 files")
    expect(pushed.code).toBe(0)
  })
})
