import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { unzipSync } from "fflate"
import { spawnSync } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import type * as DirectoryWalk from "../src/DirectoryWalk.js"
import * as ZipSource from "../src/ZipSource.js"
import { tempDir, writeTree } from "./helpers.js"

const found = (root: string, names: ReadonlyArray<string>): Array<DirectoryWalk.Found> =>
  names.map((name) => {
    const file = path.join(root, name)
    const info = fs.lstatSync(file)
    return { name, path: file, bytes: info.size, dev: info.dev, ino: info.ino, executable: false }
  })

describe("ZipSource.write", () => {
  it.scoped("refuses more files than a zip without ZIP64 counts, before reading any", () =>
    Effect.gen(function*() {
      const files = Array.from({ length: ZipSource.maxEntries + 1 }, (_, i) => ({
        name: `f${i}.txt`,
        path: `/nonexistent/effect-apify/f${i}.txt`,
        bytes: 1,
        dev: 0,
        ino: i,
        executable: false
      }))
      const result = yield* Effect.either(ZipSource.write(files))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.include(result.left.message, "65,536 files are more than a zip without ZIP64 holds (65,535)")
      }
    }))

  it.scoped("zips every file byte for byte, a file of several 1 MiB pieces as one deflate stream", () =>
    Effect.gen(function*() {
      const root = fs.realpathSync(tempDir())
      const line = (i: number) => `export const value${i % 97} = ${i % 97} // the same few lines, again and again\n`
      const text = Array.from({ length: 60_000 }, (_, i) => line(i)).join("")
      const files: Record<string, Uint8Array> = {
        "empty.txt": new Uint8Array(0),
        "src/main.js": new TextEncoder().encode("console.log('main')\n"),
        "one-piece.bin": new Uint8Array(1024 * 1024).fill(7),
        "one-piece-and-a-byte.bin": new Uint8Array(1024 * 1024 + 1).fill(9),
        "src/pieces.js": new TextEncoder().encode(text),
        "random.bin": new Uint8Array(crypto.randomBytes(2_500_000))
      }
      assert.isAbove(files["src/pieces.js"]!.length, 3 * 1024 * 1024)
      writeTree(root, files)
      const written = yield* ZipSource.write(found(root, Object.keys(files)))
      const zip = fs.readFileSync(written.path)
      assert.strictEqual(written.bytes, zip.length)
      assert.strictEqual(written.files, 6)
      const back = unzipSync(zip)
      assert.deepStrictEqual(Object.keys(back).sort(), Object.keys(files).sort())
      for (const [name, bytes] of Object.entries(files)) {
        assert.isTrue(Buffer.from(back[name]!).equals(Buffer.from(bytes)), `${name} differs`)
      }
      // Deflated: the repeated text and the filled files shrink to almost nothing, the random bytes not at all.
      assert.isBelow(zip.length, 2_500_000 + 60_000)
      // Another reader (Info-ZIP), which checks every CRC-32, where it is installed.
      if (spawnSync("unzip", ["-v"]).status === 0) {
        const tested = spawnSync("unzip", ["-tq", written.path], { encoding: "utf8" })
        assert.strictEqual(tested.status, 0, tested.stdout + tested.stderr)
      }
      fs.rmSync(root, { recursive: true, force: true })
    }))

  it.scoped("refuses a file that changed since the walk, naming it", () =>
    Effect.gen(function*() {
      const root = fs.realpathSync(tempDir())
      writeTree(root, { "a.js": "1\n", "b.js": "2\n" })
      const files = found(root, ["a.js", "b.js"])
      // Renamed over while the old file still exists: a new inode, whatever the file system reuses.
      fs.writeFileSync(path.join(root, "b.new"), "replaced\n")
      fs.renameSync(path.join(root, "b.new"), path.join(root, "b.js"))
      const result = yield* Effect.either(ZipSource.write(files))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) assert.include(result.left.message, "changed while being read")
      fs.rmSync(root, { recursive: true, force: true })
    }))
})
