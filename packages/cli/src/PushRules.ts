/**
 * What the push rules decide for one path of an Actor directory, and the state a walk keeps
 * to decide it: `.actor/` always in, `.actorignore` forcing in and excluding, the fixed
 * excludes, the ignore levels (see `IgnoreRules`, `GitExcludes`). `judge` decides a path from
 * the root down, by its own name, whatever link led to it: a symbolic link inside the
 * directory is followed only to what would be pushed under the target's own path.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as NodePath from "node:path"
import * as ActorIgnore from "./ActorIgnore.js"
import * as CliError from "./CliError.js"
import * as Format from "./Format.js"
import * as IgnoreRules from "./IgnoreRules.js"
import * as LocalFiles from "./LocalFiles.js"
import * as SourceWriter from "./SourceWriter.js"

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
 * An entry that was not read, and why.
 *
 * @since 0.1.0
 */
export interface Skipped {
  readonly name: string
  readonly reason: string
}

/**
 * Why a walk fails.
 *
 * @since 0.1.0
 */
export type Failure = CliError.LocalFileError | CliError.InvalidInput

/**
 * What the directories above an entry decided: left out (and not entered by git), forced in.
 *
 * @since 0.1.0
 */
export interface Above {
  readonly excluded: boolean
  readonly forced: boolean
}

/**
 * Nothing above decided anything.
 *
 * @since 0.1.0
 */
export const included: Above = { excluded: false, forced: false }
const excludedOut: Above = { excluded: true, forced: false }
/**
 * Forced in by `.actor/` or a `!` line of `.actorignore`.
 *
 * @since 0.1.0
 */
export const forcedIn: Above = { excluded: false, forced: true }

/** A directory as `judge` knows it: the levels in force below it and its decision, or why nothing below is pushed. */
type DirState = { readonly levels: ReadonlyArray<IgnoreRules.Level>; readonly above: Above } | string

/**
 * The state of one walk.
 *
 * @since 0.1.0
 */
export interface Context {
  readonly root: string
  readonly refuseOutside: boolean
  readonly actorIgnore: ActorIgnore.ActorIgnore
  /** the levels from above the root: `core.excludesFile`, `.git/info/exclude`, parent `.gitignore` files */
  readonly baseLevels: ReadonlyArray<IgnoreRules.Level>
  readonly skipped: Array<Skipped>
  readonly skippedNames: Set<string>
  /** each directory's `.gitignore` level by canonical path, read once */
  readonly gitignores: Map<string, IgnoreRules.Level | null>
  /** `judge`'s directories by path relative to the root */
  readonly states: Map<string, DirState>
  /** the patterns with wildcards read so far (see `IgnoreRules.maxWildcardPatterns`) */
  readonly wildcards: { count: number }
}

/**
 * A fresh context for a walk of `root` (canonical).
 *
 * @since 0.1.0
 */
export const context = (
  root: string,
  refuseOutside: boolean,
  baseLevels: ReadonlyArray<IgnoreRules.Level>,
  actorIgnore: ActorIgnore.ActorIgnore = ActorIgnore.parse("")
): Context => ({
  root,
  refuseOutside,
  actorIgnore,
  baseLevels,
  skipped: [],
  skippedNames: new Set(),
  gitignores: new Map(),
  states: new Map(),
  wildcards: { count: baseLevels.reduce((sum, level) => sum + level.matcher.wildcards, 0) }
})

const tooManyWildcards = (rel: string) =>
  new CliError.InvalidInput({
    message: `the ignore files hold more than ${
      Format.number(IgnoreRules.maxWildcardPatterns)
    } patterns with wildcards (${
      LocalFiles.shorten(rel)
    } passes the bound); each is tested against every path, so a push stops there`,
    hint: "shorten the .gitignore files: plain names and *.ext patterns do not count"
  })

/**
 * Lists an entry as skipped, once.
 *
 * @since 0.1.0
 */
export const skip = (ctx: Context, name: string, reason: string): void => {
  if (ctx.skippedNames.has(name)) return
  ctx.skippedNames.add(name)
  ctx.skipped.push({ name, reason })
}

const skippedWithout = "without --refuse-outside-links it is skipped with a warning"

// What to do about a link leading outside: `.actor/` is always sent and `.actorignore` is the
// file the hint would send the user to, so neither can be left out with `.actorignore`; a
// link to a folder is left out by its name without a trailing slash (the ignore rules see a
// link, not a folder, so `name/` does not match it).
const outsideHint = (name: string, toFolder: boolean): string =>
  name === ".actor" || name.startsWith(".actor/")
    ? "copy what it leads to into the directory, or remove the link: everything in .actor/ is sent, so .actorignore cannot leave it out"
    : name === ".actorignore"
    ? `copy the file into the directory, or remove the link; ${skippedWithout}`
    : toFolder
    ? `remove the link, or leave it out with the line /${name} in .actorignore (no trailing /: the ignore rules see the link, not a folder); ${skippedWithout}`
    : `remove the link, or leave it out with the line /${name} in .actorignore; ${skippedWithout}`

/**
 * The failure for a link leading outside with `--refuse-outside-links` (`target`: its
 * canonical target, only examined, never opened), with what to do about it for where it is
 * and what it leads to.
 *
 * @since 0.1.0
 */
export const outsideRefused = (name: string, target: string) => {
  const info = LocalFiles.stat(target)
  return new CliError.InvalidInput({
    message: `${name} is a symbolic link to outside the directory; refused (--refuse-outside-links)`,
    hint: outsideHint(name, Either.isRight(info) && info.right.kind === "Directory")
  })
}

/**
 * Whether a directory named `name` in `relDir` is a fixed exclude.
 *
 * @since 0.1.0
 */
export const isFixed = (relDir: string, name: string): boolean =>
  alwaysExcluded.includes(name) || (relDir === "" && rootExcluded.includes(name))

/**
 * What `.actor/`, `.actorignore`'s force-include patterns, the fixed rules, `.actorignore`'s
 * exclude patterns and the ignore levels, in this order, decide for `rel`. A directory
 * forced in forces in what is below it, except the fixed excludes.
 *
 * @since 0.1.0
 */
export const decide = (
  ctx: Context,
  levels: ReadonlyArray<IgnoreRules.Level>,
  rel: string,
  isDir: boolean,
  above: Above,
  fixed: boolean
): Above => {
  if (rel === ".actor" || rel.startsWith(".actor/")) return forcedIn
  if (ActorIgnore.forces(ctx.actorIgnore, rel, isDir) || (above.forced && !fixed)) return forcedIn
  return above.excluded || fixed || ActorIgnore.excludes(ctx.actorIgnore, rel, isDir) ||
      IgnoreRules.ignores(levels, rel, isDir)
    ? excludedOut
    : included
}

/**
 * Reads an ignore file when it is a regular file under 1 MiB. `.actorignore` may be a link to
 * a file inside the directory; a `.gitignore` that is a link is not read, as git does not.
 *
 * @since 0.1.0
 */
export const readIgnoreFile = (ctx: Context, absDir: string, rel: string): Either.Either<string, Failure> =>
  Either.gen(function*() {
    const path = NodePath.join(absDir, NodePath.basename(rel))
    const found = yield* LocalFiles.lstatIfExists(path, rel)
    if (Option.isNone(found)) return ""
    let readPath = path
    let info = found.value
    if (info.kind === "SymbolicLink") {
      if (NodePath.basename(rel) === ".gitignore") {
        skip(
          ctx,
          rel,
          "a symbolic link; git does not read a .gitignore that is a link, so its patterns are not applied"
        )
        return ""
      }
      const target = LocalFiles.resolve(path)
      if (target._tag === "Broken") {
        skip(ctx, rel, `a symbolic link that leads nowhere (${target.reason}); its patterns are not applied`)
        return ""
      }
      if (!LocalFiles.isInside(ctx.root, target.path)) {
        if (ctx.refuseOutside) return yield* Either.left(outsideRefused(rel, target.path))
        skip(ctx, rel, "a symbolic link to outside the directory, not read; its patterns are not applied")
        return ""
      }
      readPath = target.path
      info = yield* LocalFiles.stat(readPath, rel)
    }
    if (info.kind !== "File") {
      skip(ctx, rel, `${LocalFiles.describeKind(info.kind)}, never opened; its patterns are not applied`)
      return ""
    }
    const bytes = yield* LocalFiles.readBounded(readPath, IgnoreRules.maxIgnoreFileBytes, rel)
    return Buffer.from(bytes).toString("utf8")
  })

/**
 * The levels in force below a directory: `levels` plus its own `.gitignore`, read once per
 * directory (by canonical path) however many links lead to it.
 *
 * @since 0.1.0
 */
export const levelsBelow = (
  ctx: Context,
  levels: ReadonlyArray<IgnoreRules.Level>,
  relDir: string,
  absDir: string
): Either.Either<ReadonlyArray<IgnoreRules.Level>, Failure> =>
  Either.gen(function*() {
    let own = ctx.gitignores.get(absDir)
    if (own === undefined) {
      const text = yield* readIgnoreFile(ctx, absDir, relDir === "" ? ".gitignore" : `${relDir}/.gitignore`)
      own = text === "" ? null : IgnoreRules.level(relDir, text)
      ctx.gitignores.set(absDir, own)
      ctx.wildcards.count += own?.matcher.wildcards ?? 0
      if (ctx.wildcards.count > IgnoreRules.maxWildcardPatterns) {
        return yield* Either.left(tooManyWildcards(relDir === "" ? ".gitignore" : `${relDir}/.gitignore`))
      }
    }
    // A level read for another path (through a link) is rebased onto this one.
    return own === null ? levels : [...levels, own.base === relDir ? own : { ...own, base: relDir }]
  })

const inGit = "inside .git"
const neverPushed = "never pushed (node_modules, storage)"
const leftOut = "left out by .gitignore or .actorignore"

const dirState = (ctx: Context, rel: string): Either.Either<DirState, Failure> =>
  Either.gen(function*() {
    const cached = ctx.states.get(rel)
    if (cached !== undefined) return cached
    let state: DirState
    if (rel === "") {
      state = { levels: yield* levelsBelow(ctx, ctx.baseLevels, "", ctx.root), above: included }
    } else {
      const slash = rel.lastIndexOf("/")
      const parentRel = slash < 0 ? "" : rel.slice(0, slash)
      const name = rel.slice(slash + 1)
      const parent = yield* dirState(ctx, parentRel)
      if (typeof parent === "string") state = parent
      else if (SourceWriter.isGitFolder(name)) state = inGit
      else {
        const fixed = isFixed(parentRel, name)
        const decided = decide(ctx, parent.levels, rel, true, parent.above, fixed)
        state = decided.excluded && !ActorIgnore.mayForceBelow(ctx.actorIgnore, rel, fixed)
          ? (fixed ? neverPushed : leftOut)
          : { levels: yield* levelsBelow(ctx, parent.levels, rel, `${ctx.root}/${rel}`), above: decided }
      }
    }
    ctx.states.set(rel, state)
    return state
  })

/**
 * Why the path `rel` (relative to the root, by its own name) is not pushed, or `undefined`
 * when it is: inside `.git`, a fixed exclude, or left out by the ignore files.
 *
 * @since 0.1.0
 */
export const judge = (ctx: Context, rel: string, isDir: boolean): Either.Either<string | undefined, Failure> =>
  Either.gen(function*() {
    if (rel === "") return undefined
    const slash = rel.lastIndexOf("/")
    const parentRel = slash < 0 ? "" : rel.slice(0, slash)
    const name = rel.slice(slash + 1)
    const parent = yield* dirState(ctx, parentRel)
    if (typeof parent === "string") return parent
    if (SourceWriter.isGitFolder(name)) return inGit
    const fixed = isDir && isFixed(parentRel, name)
    return decide(ctx, parent.levels, rel, isDir, parent.above, fixed).excluded
      ? (fixed ? neverPushed : leftOut)
      : undefined
  })
