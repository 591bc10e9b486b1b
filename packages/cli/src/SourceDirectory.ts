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
import * as Option from "effect/Option"
import * as NodePath from "node:path"
import * as ActorIgnore from "./ActorIgnore.js"
import * as CliError from "./CliError.js"
import * as FileKind from "./FileKind.js"
import * as Format from "./Format.js"
import * as IgnoreRules from "./IgnoreRules.js"
import * as LocalFiles from "./LocalFiles.js"

/**
 * Excluded wherever they appear (`.git` can never be forced back in).
 *
 * @since 0.1.0
 */
export const alwaysExcluded: ReadonlyArray<string> = [".git", "node_modules"]

/**
 * Excluded at the root of the directory only: local storage of Apify and Crawlee runs.
 *
 * @since 0.1.0
 */
export const rootExcluded: ReadonlyArray<string> = ["storage", "apify_storage", "crawlee_storage"]

/**
 * The most entries a walk examines (links inside the directory can multiply a tree).
 *
 * @since 0.1.0
 */
export const maxEntries = 200_000

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
export interface Skipped {
  readonly name: string
  readonly reason: string
}

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
}

interface Found {
  readonly name: string
  readonly path: string
  readonly bytes: number
}

interface Walk {
  readonly root: string
  readonly refuseOutside: boolean
  readonly actorIgnore: ActorIgnore.ActorIgnore
  readonly files: Array<Found>
  readonly skipped: Array<Skipped>
  examined: number
}

type Failure = CliError.LocalFileError | CliError.InvalidInput

const skip = (walk: Walk, name: string, reason: string): void => {
  if (!walk.skipped.some((s) => s.name === name)) walk.skipped.push({ name, reason })
}

const skipped = (walk: Walk, name: string, reason: string): Either.Either<undefined, never> => {
  skip(walk, name, reason)
  return Either.right(undefined)
}

const outsideRefused = (name: string) =>
  new CliError.InvalidInput({
    message: `${name} is a symbolic link to outside the directory; refused (--refuse-outside-links)`,
    hint: "remove the link or list it in .actorignore; without --refuse-outside-links it is skipped with a warning"
  })

/** What the directories above an entry decided: left out (and not entered by git), forced in. */
interface Above {
  readonly excluded: boolean
  readonly forced: boolean
}

const included: Above = { excluded: false, forced: false }
const excludedOut: Above = { excluded: true, forced: false }
const forcedIn: Above = { excluded: false, forced: true }

/**
 * What `.actor/`, `.actorignore`'s force-include patterns, the fixed rules, `.actorignore`'s
 * exclude patterns and the `.gitignore` levels, in this order, decide for `rel`. A directory
 * forced in forces in what is below it, except the fixed excludes.
 */
const decide = (
  walk: Walk,
  levels: ReadonlyArray<IgnoreRules.Level>,
  rel: string,
  isDir: boolean,
  above: Above,
  fixed: boolean
): Above => {
  if (rel === ".actor" || rel.startsWith(".actor/")) return forcedIn
  if (ActorIgnore.forces(walk.actorIgnore, rel, isDir) || (above.forced && !fixed)) return forcedIn
  return above.excluded || fixed || ActorIgnore.excludes(walk.actorIgnore, rel, isDir) ||
      IgnoreRules.ignores(levels, rel, isDir)
    ? excludedOut
    : included
}

/** Reads an ignore file when it is a regular file (or a link to one inside) under 1 MiB. */
const readIgnoreFile = (walk: Walk, absDir: string, rel: string): Effect.Effect<string, Failure> =>
  Effect.gen(function*() {
    const path = NodePath.join(absDir, NodePath.basename(rel))
    const found = yield* LocalFiles.lstatIfExists(path, rel)
    if (Option.isNone(found)) return ""
    let readPath = path
    let info = found.value
    if (info.kind === "SymbolicLink") {
      const target = LocalFiles.resolve(path)
      if (target._tag === "Broken") {
        skip(walk, rel, `a symbolic link that leads nowhere (${target.reason}); its patterns are not applied`)
        return ""
      }
      if (!LocalFiles.isInside(walk.root, target.path)) {
        if (walk.refuseOutside) return yield* outsideRefused(rel)
        skip(walk, rel, "a symbolic link to outside the directory, not read; its patterns are not applied")
        return ""
      }
      readPath = target.path
      info = yield* LocalFiles.stat(readPath, rel)
    }
    if (info.kind !== "File") {
      skip(walk, rel, `${LocalFiles.describeKind(info.kind)}, never opened; its patterns are not applied`)
      return ""
    }
    const bytes = yield* LocalFiles.readBounded(readPath, IgnoreRules.maxIgnoreFileBytes, rel)
    return Buffer.from(bytes).toString("utf8")
  })

/** A directory to walk next: the entry just visited, or a link to a directory inside. */
interface Descend {
  readonly rel: string
  readonly abs: string
  readonly above: Above
  readonly chain: ReadonlyArray<string>
}

type Visited = Either.Either<Descend | undefined, Failure>

const done: Visited = Either.right(undefined)

const walkDirectory = (
  walk: Walk,
  relDir: string,
  absDir: string,
  levels: ReadonlyArray<IgnoreRules.Level>,
  above: Above,
  chain: ReadonlyArray<string>
): Effect.Effect<void, Failure> =>
  Effect.gen(function*() {
    const gitignore = yield* readIgnoreFile(walk, absDir, relDir === "" ? ".gitignore" : `${relDir}/.gitignore`)
    const here = gitignore === "" ? levels : [...levels, IgnoreRules.level(relDir, gitignore)]
    const names = yield* LocalFiles.readNames(absDir, relDir === "" ? "." : relDir)
    for (const name of names) {
      if (name.name === ".git") continue
      walk.examined += 1
      if (walk.examined > maxEntries) {
        return yield* new CliError.InvalidInput({
          message: `the directory holds more than ${maxEntries} entries (symbolic links inside it included)`,
          hint: "exclude what is not part of the Actor in .actorignore"
        })
      }
      // Most entries are files, visited without a step of the Effect runtime.
      const visited = visit(walk, relDir, absDir, name, here, above, chain)
      if (Either.isLeft(visited)) return yield* visited.left
      const next = visited.right
      if (next !== undefined) yield* walkDirectory(walk, next.rel, next.abs, here, next.above, next.chain)
    }
  })

const visit = (
  walk: Walk,
  relDir: string,
  absDir: string,
  name: LocalFiles.Name,
  levels: ReadonlyArray<IgnoreRules.Level>,
  above: Above,
  chain: ReadonlyArray<string>
): Visited => {
  const rel = relDir === "" ? name.name : `${relDir}/${name.name}`
  const abs = absDir.endsWith("/") ? `${absDir}${name.name}` : `${absDir}/${name.name}`
  if (!name.valid) {
    if (decide(walk, levels, rel, false, above, false).excluded) return done
    const shown = relDir === "" ? name.escaped : `${relDir}/${name.escaped}`
    return Either.left(
      new CliError.LocalFileError({
        path: shown,
        message: `the file name ${shown} is not valid UTF-8 (bytes shown as \\xNN); Apify stores file names as text`,
        hint: "rename the file with a UTF-8 name, or exclude it in .actorignore (a ? matches the bad byte)"
      })
    )
  }
  const lstat = LocalFiles.lstat(abs, rel)
  if (Either.isLeft(lstat)) return Either.left(lstat.left)
  const info = lstat.right
  if (info.kind === "Directory") {
    const fixed = alwaysExcluded.includes(name.name) || (relDir === "" && rootExcluded.includes(name.name))
    const decided = decide(walk, levels, rel, true, above, fixed)
    if (decided.excluded && !ActorIgnore.mayForceBelow(walk.actorIgnore, rel, fixed)) return done
    return Either.right({ rel, abs, above: decided, chain: [...chain, abs] })
  }
  const decided = decide(walk, levels, rel, false, above, false)
  if (decided.excluded) return done
  if (info.kind === "File") walk.files.push({ name: rel, path: abs, bytes: info.size })
  else if (info.kind === "SymbolicLink") return visitLink(walk, rel, abs, levels, decided.forced, chain)
  else skip(walk, rel, `${LocalFiles.describeKind(info.kind)}, never opened`)
  return done
}

const visitLink = (
  walk: Walk,
  rel: string,
  abs: string,
  levels: ReadonlyArray<IgnoreRules.Level>,
  forced: boolean,
  chain: ReadonlyArray<string>
): Visited => {
  const target = LocalFiles.resolve(abs)
  if (target._tag === "Broken") return skipped(walk, rel, `a symbolic link that leads nowhere (${target.reason})`)
  if (!LocalFiles.isInside(walk.root, target.path)) {
    if (walk.refuseOutside) return Either.left(outsideRefused(rel))
    return skipped(walk, rel, "a symbolic link to outside the directory, not read")
  }
  const stat = LocalFiles.stat(target.path, rel)
  if (Either.isLeft(stat)) return Either.left(stat.left)
  const info = stat.right
  if (info.kind === "File") {
    walk.files.push({ name: rel, path: target.path, bytes: info.size })
    return done
  }
  if (info.kind !== "Directory") {
    return skipped(walk, rel, `a link to ${LocalFiles.describeKind(info.kind)}, never opened`)
  }
  if (chain.includes(target.path)) return skipped(walk, rel, "a symbolic link to a directory that contains it (a loop)")
  const decided = decide(walk, levels, rel, true, forced ? forcedIn : included, false)
  if (decided.excluded) return done
  return Either.right({ rel, abs: target.path, above: decided, chain: [...chain, target.path] })
}

const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3)

/** The least a file can count as sent: base64 for binary types, else UTF-16 text (>= bytes / 3). */
const leastSent = (file: Found): number =>
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
      Format.bytes(total)
    } as sent, over the ${Format.bytes(limit)} inline limit; largest: ${
      largest.map((e) => `${e.name} (${Format.bytes(e.size)}${exact ? "" : " on disk"})`).join(", ")
    }`,
    hint: "exclude large files in .actorignore, or build from a Git repository or tarball (--git-repo, --tarball)"
  })
}

/** Reads the files one at a time, stopping as soon as the limit cannot be met. */
const load = (files: ReadonlyArray<Found>, limit: number) =>
  Effect.gen(function*() {
    let rest = files.reduce((sum, file) => sum + leastSent(file), 0)
    let sent = 0
    const entries: Array<Entry> = []
    const contents: Array<SourceFile.SourceCodeFile> = []
    for (const file of files) {
      if (sent + rest > limit) {
        return yield* overLimit(files.map((f) => ({ name: f.name, size: f.bytes })), sent + rest, false, limit)
      }
      const read = LocalFiles.readBounded(file.path, 3 * limit + 3, file.name)
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

const foldersOf = (files: ReadonlyArray<Found>): Array<string> => {
  const folders = new Set<string>()
  for (const file of files) {
    const parts = file.name.split("/")
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"))
  }
  return [...folders].sort()
}

const notADirectory = (directory: string, what: string) =>
  new CliError.InvalidInput({
    message: `${directory} ${what}`,
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
  if (target._tag === "Broken") return yield* notADirectory(directory, "does not exist")
  const root = target.path
  const rootInfo = yield* LocalFiles.stat(root, directory)
  if (rootInfo.kind !== "Directory") return yield* notADirectory(directory, "is not a directory")

  const walk: Walk = {
    root,
    refuseOutside: options.outsideLinks === "refuse",
    actorIgnore: ActorIgnore.parse(""),
    files: [],
    skipped: [],
    examined: 0
  }
  const ready: Walk = { ...walk, actorIgnore: ActorIgnore.parse(yield* readIgnoreFile(walk, root, ".actorignore")) }
  yield* walkDirectory(ready, "", root, [], included, [root])

  const { contents, entries, sent } = yield* load(ready.files, options.limit ?? Limits.maxInlineSourceBytes)
  const sourceFiles: Array<SourceFile.SourceFile> = foldersOf(ready.files).map((name) => SourceFile.folder(name))
  sourceFiles.push(...contents)
  return { directory: root, sourceFiles, entries, inlineSize: sent, skipped: ready.skipped } satisfies Collected
})
