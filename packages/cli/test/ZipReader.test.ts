// ZipReader.tree on zips built byte by byte: ZIP64 read as Python's zipfile writes it, and
// every disagreement between the zip's records refused before anything is inflated.
import * as Either from "effect/Either"
import { strToU8, zipSync } from "fflate"
import { describe, expect, it } from "vitest"
import { tree } from "../src/ZipReader.js"
import { buildZip, type ZipEntry } from "./zipBytes.js"

const files: ReadonlyArray<ZipEntry> = [
  { name: "a.txt", data: strToU8("alpha") },
  { name: "src/", mode: 0o40755 },
  { name: "src/b.bin", data: new Uint8Array(5000).fill(7), method: 8 }
]

const read = (zip: Uint8Array) =>
  Either.match(tree(zip), {
    onLeft: (error) => ({ refused: error.message }),
    onRight: (t) => ({
      folders: t.folders,
      files: t.files.map((
        f
      ) => [f.name, Either.match(f.bytes(), { onLeft: (e) => e.message, onRight: (b) => b.length })])
    })
  })

const written = { folders: ["src"], files: [["a.txt", 5], ["src/b.bin", 5000]] }

describe("ZipReader.tree", () => {
  it("reads a plain zip, fflate's own, and ZIP64 with and without per-entry ZIP64 fields", () => {
    expect(read(buildZip(files))).toEqual(written)
    expect(read(zipSync({ "a.txt": strToU8("alpha"), "src/b.bin": new Uint8Array(5000).fill(7) }))).toEqual(written)
    expect(read(buildZip(files, { zip64: true }))).toEqual(written)
    expect(read(buildZip(files, { zip64Extras: true }))).toEqual(written)
    expect(read(buildZip([]))).toEqual({ folders: [], files: [] })
  })

  it("refuses records that disagree, entries past the declared count, and a damaged end", () => {
    const cases: ReadonlyArray<[Uint8Array, string]> = [
      [buildZip(files, { endCount: 2 }), "holds more than the 2 entries its end record declares"],
      [buildZip(files, { endCount: 1, zip64: true }), "ZIP64 end record (3 entries) disagrees with its end record (1)"],
      [buildZip(files, { zip64: true, zip64Count: 4 }), "ZIP64 end record (4 entries) disagrees"],
      [buildZip(files, { zip64Extras: true, zip64Count: 2 }), "holds more than the 2 entries"],
      [buildZip(files, { endCount: 4 }), "declares 4 entries, more than its central directory holds"],
      [buildZip(files, { endCount: 3, trailing: strToU8("x") }), "no end of central directory record"],
      [buildZip(files, { trailing: strToU8("junk") }), "no end of central directory record"],
      [
        buildZip(files, { zip64: true, zip64Count: 100_001, endCount: 0xffff }),
        "the zip has 100,001 entries, over 100,000"
      ]
    ]
    for (const [zip, message] of cases) expect(read(zip)).toEqual({ refused: expect.stringContaining(message) })
  })

  it("refuses ZIP64 fields declared but missing", () => {
    const zip = buildZip(files, { zip64Extras: true })
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
    const locator = zip.length - 22 - 20
    expect(view.getUint32(locator, true)).toBe(0x07064b50)
    view.setUint32(locator, 0, true)
    expect(read(zip)).toEqual({ refused: "the zip declares ZIP64 sizes but has no ZIP64 end record" })
  })

  it("refuses entries it would not inflate as listed: encrypted, unknown method, another local name", () => {
    const one = (entry: ZipEntry) => read(buildZip([{ data: strToU8("x"), ...entry }]))
    expect(one({ name: "x", flags: 0x801 })).toEqual({ refused: "the zip entry \"x\" is encrypted" })
    expect(one({ name: "x", method: 12 })).toEqual({
      refused: "the zip entry \"x\" uses compression method 12 (only stored and deflated are read)"
    })
    expect(one({ name: "x", localName: "y" })).toEqual({
      refused: "the zip entry \"x\" has a local header with another name"
    })
  })

  it("refuses names that are not UTF-8 or hold control characters, and names listed twice", () => {
    expect(read(buildZip([{ name: Uint8Array.from([0x61, 0xff]), flags: 0 }]))).toEqual({
      refused: expect.stringContaining("the zip entry name a\\xff is not valid UTF-8")
    })
    expect(read(buildZip([{ name: "a\u001b[2J\u0085.txt" }]))).toEqual({
      refused: expect.stringContaining("\"a\\u001b[2J\\x85.txt\" (it holds a control character)")
    })
    expect(read(buildZip([{ name: "a.txt" }, { name: "a.txt" }]))).toEqual({
      refused: expect.stringContaining("lists the file \"a.txt\" twice")
    })
    expect(read(buildZip([{ name: "a" }, { name: "a/b" }]))).toEqual({
      refused: expect.stringContaining("lists \"a\" as a file and as a folder")
    })
  })
})
