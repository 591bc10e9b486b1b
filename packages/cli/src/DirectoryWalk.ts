/**
 * The walk of an Actor directory for `versions push`: which files are sent and which entries
 * are skipped, by the push rules (`.actor/` always in, `.actorignore` forcing in and
 * excluding, the fixed excludes, the `.gitignore` levels). Every entry is examined with
 * `lstat`; a symbolic link is followed only when its target resolves inside the directory.
 * Nothing is read here but ignore files; `SourceDirectory` reads the files found.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as NodePath from "node:path"
import * as ActorIgnore from "./ActorIgnore.js"
import * as CliError from "./CliError.js"
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
 * An entry that was not read, and why.
 *
 * @since 0.1.0
 */
export interface Skipped {
  readonly name: string
  readonly reason: string
}

/**
 * A file the walk found: its name as sent, where it is read from, its size on disk.
 *
 * @since 0.1.0
 */
export interface Found {
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

/**
 * Why a walk fails.
 *
 * @since 0.1.0
 */
export type Failure = CliError.LocalFileError | CliError.InvalidInput

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

/**
 * Walks `root` (a resolved directory): the files to send, in walk order, and the entries
 * skipped. `refuseOutside` fails on a link leading outside instead of skipping it.
 *
 * @since 0.1.0
 */
export const walk = (
  root: string,
  refuseOutside: boolean
): Effect.Effect<{ readonly files: ReadonlyArray<Found>; readonly skipped: ReadonlyArray<Skipped> }, Failure> =>
  Effect.gen(function*() {
    const first: Walk = { root, refuseOutside, actorIgnore: ActorIgnore.parse(""), files: [], skipped: [], examined: 0 }
    const ready: Walk = { ...first, actorIgnore: ActorIgnore.parse(yield* readIgnoreFile(first, root, ".actorignore")) }
    yield* walkDirectory(ready, "", root, [], included, [root])
    return { files: ready.files, skipped: ready.skipped }
  })
