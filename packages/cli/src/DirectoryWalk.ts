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
import * as ActorIgnore from "./ActorIgnore.js"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as GitExcludes from "./GitExcludes.js"
import type * as IgnoreRules from "./IgnoreRules.js"
import * as LocalFiles from "./LocalFiles.js"
import * as PushRules from "./PushRules.js"
import * as SourceWriter from "./SourceWriter.js"
import * as TerminalText from "./TerminalText.js"

/**
 * Excluded wherever they appear (`.git` can never be forced back in).
 *
 * @since 0.1.0
 */
export const alwaysExcluded: ReadonlyArray<string> = PushRules.alwaysExcluded

/**
 * Excluded at the root of the directory only: local storage of Apify and Crawlee runs.
 *
 * @since 0.1.0
 */
export const rootExcluded: ReadonlyArray<string> = PushRules.rootExcluded

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
export type Skipped = PushRules.Skipped

/**
 * A file the walk found: its name as sent, where it is read from (canonical), its size on
 * disk, its device and inode (what the read must find again), and whether it is executable.
 *
 * @since 0.1.0
 */
export interface Found extends LocalFiles.Identity {
  readonly name: string
  readonly bytes: number
  readonly executable: boolean
}

interface Walk extends PushRules.Context {
  readonly files: Array<Found>
  examined: number
  readonly pause: Effect.Effect<void>
}

/**
 * Why a walk fails.
 *
 * @since 0.1.0
 */
export type Failure = PushRules.Failure

const skipped = (walk: Walk, name: string, reason: string): Either.Either<undefined, never> => {
  PushRules.skip(walk, name, reason)
  return Either.right(undefined)
}

/**
 * An effect that, run every so many steps of a long synchronous loop, gives the event loop a
 * turn at most every `everyMillis`, so that a signal (Ctrl-C) interrupts the loop promptly.
 *
 * @since 0.1.0
 */
export const pauser = (everyMillis = 50): Effect.Effect<void> => {
  let last = Date.now()
  return Effect.suspend(() => {
    const now = Date.now()
    if (now - last < everyMillis) return Effect.void
    last = now
    return Effect.sleep(0)
  })
}

/**
 * A directory to walk next: the entry just visited, or a link to a directory inside.
 * `viaLink`: reached through a link, so that every entry below is judged by its own path too.
 */
interface Descend {
  readonly rel: string
  readonly abs: string
  readonly above: PushRules.Above
  readonly chain: ReadonlyArray<string>
  readonly viaLink: boolean
}

type Visited = Either.Either<Descend | undefined, Failure>

const done: Visited = Either.right(undefined)

const tooMany = new CliError.InvalidInput({
  message: `the directory holds more than ${Format.number(maxEntries)} entries (symbolic links inside it included)`,
  hint: "exclude what is not part of the Actor in .actorignore"
})

const walkDirectory = (
  walk: Walk,
  at: Descend,
  levels: ReadonlyArray<IgnoreRules.Level>
): Effect.Effect<void, Failure> =>
  Effect.gen(function*() {
    const { abs: absDir, rel: relDir } = at
    const names = yield* LocalFiles.readNames(absDir, relDir === "" ? "the directory" : `the directory ${relDir}`)
    const here = names.some((n) => n.name === ".gitignore")
      ? yield* PushRules.levelsBelow(walk, levels, relDir, absDir)
      : levels
    for (const name of names) {
      // .git, and every name git takes for it (as versions pull refuses them)
      if (SourceWriter.isGitFolder(name.name)) continue
      walk.examined += 1
      if (walk.examined > maxEntries) return yield* tooMany
      if (walk.examined % 256 === 0) yield* walk.pause
      // Most entries are files, visited without a step of the Effect runtime.
      const visited = visit(walk, at, name, here)
      if (Either.isLeft(visited)) return yield* visited.left
      const next = visited.right
      if (next !== undefined) yield* walkDirectory(walk, next, here)
    }
  })

const invalidName = (relDir: string, name: LocalFiles.Name) => {
  const shown = relDir === "" ? name.escaped : `${relDir}/${name.escaped}`
  return new CliError.LocalFileError({
    path: shown,
    message: `the file name ${shown} is not valid UTF-8 (bytes shown as \\xNN); Apify stores file names as text`,
    hint: "rename the file with a UTF-8 name, or exclude it in .actorignore (a ? matches the bad byte)"
  })
}

const controlName = (relDir: string, name: LocalFiles.Name) => {
  const shown = TerminalText.escape(relDir === "" ? name.name : `${relDir}/${name.name}`)
  return new CliError.LocalFileError({
    path: shown,
    message: `the file name ${shown} holds a control character (shown escaped); versions pull refuses such names`,
    hint: "rename the file, or exclude it in .actorignore (a ? matches the character)"
  })
}

/** Below a link, an entry is sent only when its own path (where the link leads) would be. */
const judgedOwnPath = (walk: Walk, rel: string, abs: string, isDir: boolean): Either.Either<boolean, Failure> =>
  Either.map(PushRules.judge(walk, abs.slice(walk.root.length + 1), isDir), (reason) => {
    if (reason === undefined) return true
    PushRules.skip(
      walk,
      rel,
      `the same ${isDir ? "directory" : "file"} as ${abs.slice(walk.root.length + 1)}, ${reason}`
    )
    return false
  })

const visit = (walk: Walk, at: Descend, name: LocalFiles.Name, levels: ReadonlyArray<IgnoreRules.Level>): Visited => {
  const relDir = at.rel
  const rel = relDir === "" ? name.name : `${relDir}/${name.name}`
  const abs = at.abs.endsWith("/") ? `${at.abs}${name.name}` : `${at.abs}/${name.name}`
  if (!name.valid) {
    if (PushRules.decide(walk, levels, rel, false, at.above, false).excluded) return done
    return Either.left(invalidName(relDir, name))
  }
  if (LocalFiles.hasControlCharacter(name.name)) {
    if (PushRules.decide(walk, levels, rel, false, at.above, false).excluded) return done
    return Either.left(controlName(relDir, name))
  }
  const lstat = LocalFiles.lstat(abs, rel)
  if (Either.isLeft(lstat)) return Either.left(lstat.left)
  const info = lstat.right
  const isDir = info.kind === "Directory"
  const fixed = isDir && PushRules.isFixed(relDir, name.name)
  const decided = PushRules.decide(walk, levels, rel, isDir, at.above, fixed)
  if (isDir && decided.excluded && !ActorIgnore.mayForceBelow(walk.actorIgnore, rel, fixed)) return done
  if (!isDir && decided.excluded) return done
  if (at.viaLink) {
    const own = judgedOwnPath(walk, rel, abs, isDir)
    if (Either.isLeft(own)) return Either.left(own.left)
    if (!own.right) return done
  }
  if (isDir) return Either.right({ rel, abs, above: decided, chain: [...at.chain, abs], viaLink: at.viaLink })
  if (info.kind === "File") {
    walk.files.push({
      name: rel,
      path: abs,
      bytes: info.size,
      dev: info.dev,
      ino: info.ino,
      executable: info.executable
    })
  } else if (info.kind === "SymbolicLink") return visitLink(walk, rel, abs, levels, decided.forced, at.chain)
  else PushRules.skip(walk, rel, `${LocalFiles.describeKind(info.kind)}, never opened`)
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
    if (walk.refuseOutside) return Either.left(PushRules.outsideRefused(rel, target.path))
    return skipped(walk, rel, "a symbolic link to outside the directory, not read")
  }
  const stat = LocalFiles.stat(target.path, rel)
  if (Either.isLeft(stat)) return Either.left(stat.left)
  const info = stat.right
  if (info.kind !== "File" && info.kind !== "Directory") {
    return skipped(walk, rel, `a link to ${LocalFiles.describeKind(info.kind)}, never opened`)
  }
  const targetRel = target.path.slice(walk.root.length + 1)
  // The target is pushed under the link's name only if it would be pushed under its own.
  const reason = PushRules.judge(walk, targetRel, info.kind === "Directory")
  if (Either.isLeft(reason)) return Either.left(reason.left)
  if (reason.right !== undefined) {
    return skipped(
      walk,
      rel,
      `a symbolic link to ${targetRel === "" ? "the directory itself" : targetRel}, ${reason.right}; not followed`
    )
  }
  if (info.kind === "File") {
    walk.files.push({
      name: rel,
      path: target.path,
      bytes: info.size,
      dev: info.dev,
      ino: info.ino,
      executable: info.executable
    })
    return done
  }
  if (chain.includes(target.path)) return skipped(walk, rel, "a symbolic link to a directory that contains it (a loop)")
  const decided = PushRules.decide(walk, levels, rel, true, forced ? PushRules.forcedIn : PushRules.included, false)
  if (decided.excluded) return done
  return Either.right({ rel, abs: target.path, above: decided, chain: [...chain, target.path], viaLink: true })
}

/**
 * Walks `root` (a resolved directory): the files to send, in walk order, and the entries
 * skipped. `refuseOutside` fails on a link leading outside instead of skipping it. When `root`
 * is inside a git work tree, the ignore files git applies from outside it apply too (see
 * `GitExcludes`).
 *
 * @since 0.1.0
 */
export const walk = (
  root: string,
  refuseOutside: boolean
): Effect.Effect<{ readonly files: ReadonlyArray<Found>; readonly skipped: ReadonlyArray<Skipped> }, Failure> =>
  Effect.gen(function*() {
    const baseLevels = yield* GitExcludes.levelsAbove(root)
    const first = PushRules.context(root, refuseOutside, baseLevels)
    const actorIgnore = ActorIgnore.parse(yield* PushRules.readIgnoreFile(first, root, ".actorignore"))
    const ready: Walk = {
      ...PushRules.context(root, refuseOutside, baseLevels, actorIgnore),
      skipped: first.skipped,
      skippedNames: first.skippedNames,
      files: [],
      examined: 0,
      pause: pauser()
    }
    const top: Descend = { rel: "", abs: root, above: PushRules.included, chain: [root], viaLink: false }
    yield* walkDirectory(ready, top, baseLevels)
    return { files: ready.files, skipped: ready.skipped }
  })
