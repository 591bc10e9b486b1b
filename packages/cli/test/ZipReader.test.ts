// ZipReader.tree on zips built byte by byte: ZIP64 read as Python's zipfile writes it, and
// every disagreement between the zip's records refused before anything is inflated.
// ZipDigests.digestsOf: the digests of entries of every size and method against node:crypto's,
// and the same refusals (declared size, CRC-32, damaged data).
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { strToU8, zipSync } from "fflate"
import * as crypto from "node:crypto"
import { describe, expect, it } from "vitest"
import type { FileToWrite } from "../src/SourceWriter.js"
import { digestsOf } from "../src/ZipDigests.js"
import * as ZipFile from "../src/ZipFile.js"
import { tree } from "../src/ZipReader.js"
import { buildZip, type ZipEntry } from "./zipBytes.js"

const files: ReadonlyArray<ZipEntry> = [
  { name: "a.txt", data: strToU8("alpha") },
  { name: "src/", mode: 0o40755 },
  { name: "src/b.bin", data: new Uint8Array(5000).fill(7), method: 8 }
]

/** A file's bytes as written: their length, or why they were refused. */
const poured = (file: FileToWrite) => {
  const pieces: Array<Uint8Array> = []
  return Effect.runPromise(Effect.match(file.pour((piece) => Either.right(void pieces.push(piece))), {
    onFailure: (error) => error.message,
    onSuccess: () => Buffer.concat(pieces).length
  }))
}

const read = (zip: Uint8Array) =>
  Either.match(tree(zip), {
    onLeft: (error) => Promise.resolve({ refused: error.message }),
    onRight: async (t) => ({
      folders: t.folders,
      files: await Promise.all(t.files.map(async (f) => [f.name, await poured(f)]))
    })
  })

const written = { folders: ["src"], files: [["a.txt", 5], ["src/b.bin", 5000]] }

describe("ZipReader.tree", () => {
  it("reads a plain zip, fflate's own, and ZIP64 with and without per-entry ZIP64 fields", async () => {
    expect(await read(buildZip(files))).toEqual(written)
    expect(await read(zipSync({ "a.txt": strToU8("alpha"), "src/b.bin": new Uint8Array(5000).fill(7) }))).toEqual(
      written
    )
    expect(await read(buildZip(files, { zip64: true }))).toEqual(written)
    expect(await read(buildZip(files, { zip64Extras: true }))).toEqual(written)
    expect(await read(buildZip([]))).toEqual({ folders: [], files: [] })
  })

  it("refuses records that disagree, entries past the declared count, and a damaged end", async () => {
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
    for (const [zip, message] of cases) expect(await read(zip)).toEqual({ refused: expect.stringContaining(message) })
  })

  it("refuses ZIP64 fields declared but missing", async () => {
    const zip = buildZip(files, { zip64Extras: true })
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
    const locator = zip.length - 22 - 20
    expect(view.getUint32(locator, true)).toBe(0x07064b50)
    view.setUint32(locator, 0, true)
    expect(await read(zip)).toEqual({ refused: "the zip declares ZIP64 sizes but has no ZIP64 end record" })
  })

  it("refuses entries it would not inflate as listed: encrypted, unknown method, another local name", async () => {
    const one = (entry: ZipEntry) => read(buildZip([{ data: strToU8("x"), ...entry }]))
    expect(await one({ name: "x", flags: 0x801 })).toEqual({ refused: "the zip entry \"x\" is encrypted" })
    expect(await one({ name: "x", method: 12 })).toEqual({
      refused: "the zip entry \"x\" uses compression method 12 (only stored and deflated are read)"
    })
    expect(await one({ name: "x", localName: "y" })).toEqual({
      refused: "the zip entry \"x\" has a local header with another name"
    })
  })

  it("refuses names that are not UTF-8 or hold control characters, and names listed twice", async () => {
    expect(await read(buildZip([{ name: Uint8Array.from([0x61, 0xff]), flags: 0 }]))).toEqual({
      refused: expect.stringContaining("the zip entry name a\\xff is not valid UTF-8")
    })
    expect(await read(buildZip([{ name: "a\u001b[2J\u0085.txt" }]))).toEqual({
      refused: expect.stringContaining("\"a\\u001b[2J\\x85.txt\" (it holds a control character)")
    })
    expect(await read(buildZip([{ name: "a.txt" }, { name: "a.txt" }]))).toEqual({
      refused: expect.stringContaining("lists the file \"a.txt\" twice")
    })
    expect(await read(buildZip([{ name: "a" }, { name: "a/b" }]))).toEqual({
      refused: expect.stringContaining("lists \"a\" as a file and as a folder")
    })
  })

  it("inflates a piece at a time as the file is written, and stops at once past the declared size", async () => {
    const big = new Uint8Array(40 * 1024 * 1024).fill(1)
    const [file] = Either.getOrThrow(tree(buildZip([{ name: "big.bin", data: big, method: 8 }]))).files
    const sizes: Array<number> = []
    expect(await Effect.runPromise(Effect.either(file!.pour((piece) => Either.right(void sizes.push(piece.length))))))
      .toEqual(Either.right(undefined))
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(big.length)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024)
    // The same entry declared as 10 bytes (its CRC too): refused before a piece is written.
    const bomb = buildZip([{ name: "bomb.bin", data: big, method: 8 }])
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength)
    for (let i = 0; i < bomb.length - 4; i++) {
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 10, true)
    }
    const [declared] = Either.getOrThrow(tree(bomb)).files
    let written = 0
    expect(await poured({ ...declared!, pour: (write) => declared!.pour((p) => (written += p.length, write(p))) }))
      .toBe("the zip entry \"bomb.bin\" does not inflate to its declared size and CRC")
    expect(written).toBe(0)
  })

  it("stops inflating at the first piece that cannot be written, with the writer's error", async () => {
    const [file] = Either.getOrThrow(tree(buildZip([{ name: "a.bin", data: new Uint8Array(1_000_000), method: 8 }])))
      .files
    let pieces = 0
    const outcome = await Effect.runPromise(Effect.either(file!.pour(() => (pieces++, Either.left("disk full")))))
    expect(outcome).toEqual(Either.left("disk full"))
    expect(pieces).toBe(1)
  })

  it("refuses a stored or deflated entry whose CRC-32 differs from the declared one", async () => {
    for (const method of [0, 8]) {
      expect(await read(buildZip([{ name: "a.txt", data: strToU8("alpha"), method, crc: 7 }]))).toEqual({
        folders: [],
        files: [["a.txt", "the zip entry \"a.txt\" does not inflate to its declared size and CRC"]]
      })
    }
  })
})

const sha256 = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex")
const digests = (zip: Uint8Array) =>
  Effect.runPromise(Effect.match(digestsOf(ZipFile.fromBytes(zip), "sha256"), {
    onFailure: (error) => ({ refused: error.message }),
    onSuccess: (found) => ({ folders: found.folders, files: Object.fromEntries(found.files) })
  }))

// The central directory's declared (inflated) size of every entry set to `size`.
const declareSize = (zip: Uint8Array, size: number) => {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  for (let i = 0; i < zip.length - 4; i++) {
    if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, size, true)
  }
  return zip
}

describe("ZipDigests.digestsOf", () => {
  it("gives each entry's SHA-256, stored or deflated, around every size where the way it is read changes", async () => {
    // 4 KiB: the largest inflated at once; 64 KiB: a piece; pieces of one entry run on across entries.
    const sizes = [0, 1, 100, 4095, 4096, 4097, 65535, 65536, 65537, 200_000, 1_000_003]
    const entries = sizes.flatMap((size, i) => {
      const random = new Uint8Array(crypto.randomBytes(size))
      const repeated = new Uint8Array(size).fill(i)
      return [0, 8].flatMap((method) => [
        { name: `random-${size}-${method}`, data: random, method },
        { name: `repeated-${size}-${method}`, data: repeated, method }
      ])
    })
    const found = await digests(buildZip([...entries, { name: "empty/", mode: 0o40755 }]))
    expect(found).toEqual({
      folders: ["empty"],
      files: Object.fromEntries(entries.map((e) => [e.name, sha256(e.data)]))
    })
    // fflate's own zip (its choice of method per entry), and ZIP64 records
    const big = new Uint8Array(20 * 1024 * 1024).fill(0x61)
    expect(await digests(zipSync({ "a.txt": strToU8("alpha"), "src/big.txt": big }))).toEqual({
      folders: ["src"],
      files: { "a.txt": sha256(strToU8("alpha")), "src/big.txt": sha256(big) }
    })
    expect(await digests(buildZip(files, { zip64Extras: true }))).toEqual({
      folders: ["src"],
      files: { "a.txt": sha256(strToU8("alpha")), "src/b.bin": sha256(new Uint8Array(5000).fill(7)) }
    })
  })

  it("refuses what tree refuses, before inflating anything", async () => {
    expect(await digests(buildZip([{ name: "x", data: strToU8("x"), flags: 0x801 }]))).toEqual({
      refused: "the zip entry \"x\" is encrypted"
    })
    expect(await digests(buildZip([{ name: "a.txt" }, { name: "a.txt" }]))).toEqual({
      refused: expect.stringContaining("lists the file \"a.txt\" twice")
    })
  })

  it("refuses an entry that inflates past its declared size, small or large", async () => {
    const data = new Uint8Array(40 * 1024 * 1024).fill(1)
    for (const declared of [10, 100_000]) {
      const started = process.hrtime.bigint()
      expect(await digests(declareSize(buildZip([{ name: "bomb.bin", data, method: 8 }]), declared))).toEqual({
        refused: "the zip entry \"bomb.bin\" does not inflate to its declared size and CRC"
      })
      // stopped at once, not after inflating the 40 MB
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000)
    }
  })

  it("refuses a wrong CRC-32 and damaged deflate data, in every way of reading", async () => {
    for (const size of [5, 5000, 300_000]) {
      const data = new Uint8Array(crypto.randomBytes(size))
      for (const method of [0, 8]) {
        expect(await digests(buildZip([{ name: "a.bin", data, method, crc: 7 }]))).toEqual({
          refused: "the zip entry \"a.bin\" does not inflate to its declared size and CRC"
        })
      }
      // A deflated entry cut short: its compressed bytes end before the deflate data does.
      const zip = buildZip([{ name: "a.bin", data: new Uint8Array(size).fill(3), method: 8 }])
      const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
      const compressed = view.getUint32(18, true)
      const cut = new Uint8Array(zip.length - 1)
      cut.set(zip.subarray(0, 30 + 5 + compressed - 1))
      cut.set(zip.subarray(30 + 5 + compressed), 30 + 5 + compressed - 1)
      const cutView = new DataView(cut.buffer)
      cutView.setUint32(18, compressed - 1, true)
      for (let i = 0; i < cut.length - 4; i++) {
        if (cutView.getUint32(i, true) === 0x02014b50) cutView.setUint32(i + 20, compressed - 1, true)
        if (cutView.getUint32(i, true) === 0x06054b50) {
          cutView.setUint32(i + 16, cutView.getUint32(i + 16, true) - 1, true)
        }
      }
      expect(await digests(cut)).toEqual({
        refused: "the zip entry \"a.bin\" does not inflate to its declared size and CRC"
      })
    }
  })
})
