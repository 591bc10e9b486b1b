/**
 * Collects the files of a local Actor directory the way Apify's CLI does for `apify push`:
 * everything below the directory, dotfiles included, except `.git`, `node_modules`,
 * `storage`, `apify_storage`, `crawlee_storage` and what `.gitignore` files ignore (git's
 * rules, see `IgnoreRules`); a root `.actorignore` excludes more, and its `!pattern` lines
 * force files in whatever the other rules say (see `ActorIgnore`); `.actor/` is always
 * included.
 *
 * The walk never leaves the directory: every entry is examined with `lstat`; a symbolic link
 * is followed only when its target resolves inside the directory (a file is sent under the
 * link's name, a directory walked unless it is one the walk is already in); a link that
 * resolves outside, leads nowhere or loops, and FIFOs, sockets and devices, are never opened
 * and are listed in `skipped`. Sizes come from `lstat`, and the 3 MiB inline limit is decided
 * from them before any content is read; files are then read one at a time.
 *
 * @since 0.1.0
 */
import { Limits, SourceFile } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as DirectoryWalk from "./DirectoryWalk.js"
import * as FileKind from "./FileKind.js"
import * as Format from "./Format.js"
import * as LocalFiles from "./LocalFiles.js"

/**
 * Excluded wherever they appear (`.git` can never be forced back in).
 *
 * @since 0.1.0
 */
export const alwaysExcluded: ReadonlyArray<string> = DirectoryWalk.alwaysExcluded

/**
 * Excluded at the root of the directory only: local storage of Apify and Crawlee runs.
 *
 * @since 0.1.0
 */
export const rootExcluded: ReadonlyArray<string> = DirectoryWalk.rootExcluded

/**
 * The most entries a walk examines (links inside the directory can multiply a tree).
 *
 * @since 0.1.0
 */
export const maxEntries: number = DirectoryWalk.maxEntries

/**
 * One file that will be sent, with its sizes.
 *
 * @since 0.1.0
 */
export interface Entry {
  readonly name: string
  readonly format: "TEXT" | "BASE64"
  /** size on disk, in bytes */
  readonly bytes: number
  /** size as sent (base64 counts its encoded length) */
  readonly sentSize: number
}
/**
 * An entry that was not read, and why.
 *
 * @since 0.1.0
 */
export type Skipped = DirectoryWalk.Skipped

/**
 * The collected directory: the `sourceFiles` to send (folders before their files, sorted by
 * path), a summary of each file, and the entries skipped with a warning.
 *
 * @since 0.1.0
 */
export interface Collected {
  readonly directory: string
  readonly sourceFiles: ReadonlyArray<SourceFile.SourceFile>
  readonly entries: ReadonlyArray<Entry>
  readonly inlineSize: number
  readonly skipped: ReadonlyArray<Skipped>
  /**
   * With `overLimit: "select"`, the files when they are over the inline limit (then
   * `sourceFiles` and `entries` are empty): what a zip is to hold.
   */
  readonly large?: { readonly files: ReadonlyArray<DirectoryWalk.Found>; readonly bytes: number } | undefined
}

/**
 * `outsideLinks`: `"skip"` (default) lists a link that leads outside the directory in
 * `skipped`; `"refuse"` fails the collection. `limit`: the inline limit (default 3 MiB).
 *
 * @since 0.1.0
 */
export interface Options {
  readonly outsideLinks?: "skip" | "refuse"
  readonly limit?: number
  /** Over the limit: fail (the default), or give the selected files as `large`. */
  readonly overLimit?: "fail" | "select"
}

const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3)

/** The least a file can count as sent: base64 for binary types, else UTF-16 text (>= bytes / 3). */
const leastSent = (file: DirectoryWalk.Found): number =>
  FileKind.byName(file.name) === "binary" ? base64Length(file.bytes) : Math.ceil(file.bytes / 3)

/**
 * The failure over the inline limit, naming the largest files: by size as sent once every
 * file is read (`exact`), else by size on disk.
 *
 * @since 0.1.0
 */
export const overLimit = (
  files: ReadonlyArray<{ readonly name: string; readonly size: number }>,
  total: number,
  exact: boolean,
  limit: number = Limits.maxInlineSourceBytes
): CliError.InvalidInput => {
  const largest = files.slice().sort((a, b) => b.size - a.size).slice(0, 5)
  return new CliError.InvalidInput({
    message: `${Format.count(files.length, "file")} total ${exact ? "" : "at least "}${
      Format.bytes(total) === Format.bytes(limit) ? `${Format.number(total)} bytes` : Format.bytes(total)
    } as sent, over the ${
      Format.bytes(total) === Format.bytes(limit) ? `${Format.number(limit)}-byte` : Format.bytes(limit)
    } inline limit; largest: ${
      largest.map((e) => `${e.name} (${Format.bytes(e.size)}${exact ? "" : " on disk"})`).join(", ")
    }`,
    hint: "exclude large files in .actorignore, or build from a Git repository or tarball (--git-repo, --tarball)"
  })
}

/** Reads the files one at a time, stopping as soon as the limit cannot be met. */
const load = (files: ReadonlyArray<DirectoryWalk.Found>, limit: number) =>
  Effect.gen(function*() {
    let rest = files.reduce((sum, file) => sum + leastSent(file), 0)
    let sent = 0
    const entries: Array<Entry> = []
    const contents: Array<SourceFile.SourceCodeFile> = []
    const pause = DirectoryWalk.pauser()
    for (const file of files) {
      yield* pause
      if (sent + rest > limit) {
        return yield* overLimit(files.map((f) => ({ name: f.name, size: f.bytes })), sent + rest, false, limit)
      }
      const read = LocalFiles.readBounded(file.path, 3 * limit + 3, file.name, file)
      if (Either.isLeft(read)) return yield* read.left
      const bytes = read.right
      const text = FileKind.formatOf(file.name, bytes) === "TEXT" ? FileKind.decodeText(bytes) : undefined
      const format = text === undefined ? "BASE64" : "TEXT"
      const content = text ?? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64")
      contents.push(SourceFile.SourceCodeFile.make({ name: file.name, format, content }, true))
      entries.push({ name: file.name, format, bytes: bytes.length, sentSize: content.length })
      sent += content.length
      rest -= leastSent(file)
    }
    if (sent > limit) {
      return yield* overLimit(entries.map((e) => ({ name: e.name, size: e.sentSize })), sent, true, limit)
    }
    return { entries, contents, sent }
  })

// Each file's parents, from the nearest up to the first one already seen (whose parents were
// added with it): every folder is made once, not once per file below it.
const foldersOf = (files: ReadonlyArray<DirectoryWalk.Found>): Array<string> => {
  const folders = new Set<string>()
  for (const file of files) {
    for (let end = file.name.lastIndexOf("/"); end > 0; end = file.name.lastIndexOf("/", end - 1)) {
      const folder = file.name.slice(0, end)
      if (folders.has(folder)) break
      folders.add(folder)
    }
  }
  return [...folders].sort()
}

const notADirectory = (directory: string, what: string) =>
  new CliError.InvalidInput({
    message: `${LocalFiles.shorten(directory)} ${what}`,
    hint: "give the path of an Actor directory (one with .actor/actor.json)"
  })

/**
 * Collects the files of `directory` following the push rules, failing over the inline limit
 * before the content of any file is read.
 *
 * @example
 * ```ts
 * import { SourceDirectory } from "@effect-apify/cli"
 *
 * const files = SourceDirectory.collect("./my-actor", { outsideLinks: "refuse" })
 * ```
 *
 * @since 0.1.0
 */
export const collect = Effect.fn("SourceDirectory.collect")(function*(directory: string, options: Options = {}) {
  const target = LocalFiles.resolve(NodePath.resolve(directory))
  if (target._tag === "Broken") {
    return yield* notADirectory(
      directory,
      target.reason === "it does not exist" ? "does not exist" : `cannot be used: ${target.reason}`
    )
  }
  const root = target.path
  const rootInfo = yield* LocalFiles.stat(root, directory)
  if (rootInfo.kind !== "Directory") return yield* notADirectory(directory, "is not a directory")
  const found = yield* DirectoryWalk.walk(root, options.outsideLinks === "refuse")
  const loaded = load(found.files, options.limit ?? Limits.maxInlineSourceBytes)
  // load fails with InvalidInput only when the files are over the limit.
  const inline = yield* options.overLimit === "select"
    ? Effect.catchTag(loaded, "InvalidInput", () => Effect.succeed(undefined))
    : loaded
  if (inline === undefined) {
    const bytes = found.files.reduce((sum, file) => sum + file.bytes, 0)
    return {
      directory: root,
      sourceFiles: [],
      entries: [],
      inlineSize: 0,
      skipped: found.skipped,
      large: { files: found.files, bytes }
    } satisfies Collected
  }
  const { contents, entries, sent } = inline
  const sourceFiles: Array<SourceFile.SourceFile> = foldersOf(found.files).map((name) => SourceFile.folder(name))
  // One at a time: a spread of 130,000 files into push() overflows the call stack.
  for (const content of contents) sourceFiles.push(content)
  return { directory: root, sourceFiles, entries, inlineSize: sent, skipped: found.skipped } satisfies Collected
})
