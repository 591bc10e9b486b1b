// `versions pull` against another program changing the directory while it writes (found by an
// outside attack: a folder swapped for a link between the check and the write made pull write
// outside DIR; a second pull into the same DIR warned it could not remove a folder the first
// one was filling). In process: `TreeWriter.write` of trees whose files, when their turn to be
// written comes, do what the other program would (the test's own content, no hook in the
// library). Into a new DIR the tree is written in a staging folder of mode 0700, which no
// other user can enter; into an existing DIR each folder is looked at again (device and inode,
// not a link) right before a file goes into it.
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterEach, describe, expect, it, vi } from "vitest"
import type * as CliError from "../src/CliError.js"
import { tempPrefix } from "../src/PullSteps.js"
import * as SourceWriter from "../src/SourceWriter.js"
import * as TreeWriter from "../src/TreeWriter.js"
import { tempDir, writeTree } from "./helpers.js"

/** A file whose bytes are `text`, running `meanwhile` first when it is written. */
const file = (name: string, text: string, meanwhile: () => void = () => {}) => ({
  name,
  content: {
    size: Buffer.byteLength(text),
    pour: <E>(write: (piece: Uint8Array) => Either.Either<void, E>) =>
      Effect.suspend(() => {
        meanwhile()
        return write(Buffer.from(text))
      })
  }
})

const write = (root: string, files: ReadonlyArray<ReturnType<typeof file>>, force = false) => {
  const tree = Either.getOrThrow(SourceWriter.planEntries<CliError.LocalFileError>(files))
  return Effect.runPromise(Effect.either(TreeWriter.write(root, tree, force)))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe("TreeWriter.write while another program changes the directory", () => {
  it("into a new DIR: written inside a staging folder of mode 0700, then DIR appears with the usual mode", async () => {
    const parent = tempDir()
    const root = path.join(parent, "inner")
    const seen: Array<{ readonly mode: number; readonly inside: boolean }> = []
    const result = await write(root, [
      file("a.txt", "a", () => {
        const staging = fs.readdirSync(parent).filter((n) => n.startsWith(tempPrefix))
        expect(staging).toHaveLength(1)
        const guard = path.join(parent, staging[0]!)
        seen.push({
          mode: fs.statSync(guard).mode & 0o777,
          inside: fs.readdirSync(guard).length === 1 && fs.statSync(path.join(guard, "tree")).isDirectory()
        })
      }),
      file("sub/b.txt", "b")
    ])
    expect(result).toEqual(Either.right(undefined))
    expect(seen).toEqual([{ mode: 0o700, inside: true }])
    expect(fs.readdirSync(parent)).toEqual(["inner"])
    // DIR has the mode of any folder made there (the umask's), not the staging folder's.
    const probe = path.join(tempDir(), "probe")
    fs.mkdirSync(probe)
    expect(fs.statSync(root).mode & 0o777).toBe(fs.statSync(probe).mode & 0o777)
    expect(fs.readFileSync(path.join(root, "sub/b.txt"), "utf8")).toBe("b")
  })

  it("into an existing DIR: a folder swapped for a link meanwhile is not written through", async () => {
    const root = writeTree(tempDir(), { "sub/keep.txt": "keep" })
    const outside = tempDir()
    const result = await write(root, [
      file("a.txt", "a", () => {
        fs.renameSync(path.join(root, "sub"), path.join(root, "sub.moved"))
        fs.symlinkSync(outside, path.join(root, "sub"))
      }),
      file("sub/x.txt", "escaped")
    ])
    const error = Either.isLeft(result) ? result.left : undefined
    expect(error?.message).toBe(
      "the folder \"sub\" cannot be written into: it was replaced (by a link or another folder) while pulling"
    )
    expect(error?.hint).toBe(
      "another program is changing the directory; pull again once it is still; nothing was written"
    )
    expect(fs.readdirSync(outside)).toEqual([])
    expect(fs.readdirSync(root).sort()).toEqual(["sub", "sub.moved"])
    expect(fs.readdirSync(path.join(root, "sub.moved"))).toEqual(["keep.txt"])
  })

  it("a failed pull leaves a folder it made and another pull filled meanwhile, without a warning", async () => {
    const root = tempDir()
    const warnings = vi.spyOn(console, "error").mockImplementation(() => {})
    const result = await write(root, [
      file("c/sub/a.txt", "mine", () => {
        // the other pull, into the folder this one made: its own file, and one of this one's names
        fs.writeFileSync(path.join(root, "c/sub/other.txt"), "theirs")
        fs.writeFileSync(path.join(root, "c/sub/b.txt"), "theirs")
      }),
      file("c/sub/b.txt", "mine")
    ])
    const error = Either.isLeft(result) ? result.left : undefined
    expect(error?.message).toBe("the file \"c/sub/b.txt\" cannot be put in place: the name was taken while pulling")
    expect(warnings.mock.calls.flat().join("\n")).not.toContain("Warning")
    expect(fs.readdirSync(path.join(root, "c/sub")).sort()).toEqual(["b.txt", "other.txt"])
    expect(fs.readFileSync(path.join(root, "c/sub/b.txt"), "utf8")).toBe("theirs")
  })
})
