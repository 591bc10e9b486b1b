/**
 * Collects the files of a local Actor directory the way Apify's CLI does for `apify push`:
 * everything below the directory, dotfiles included, except `.git`, `node_modules`,
 * `storage`, `apify_storage`, `crawlee_storage` and what `.gitignore` files ignore; a root
 * `.actorignore` adds patterns, and its `!pattern` lines force files back in; `.actor/` is
 * always included.
 *
 * @since 0.1.0
 */
import { SourceFile } from "@effect-apify/domain"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Encoding from "effect/Encoding"
import ignore from "ignore"
import * as NodePath from "node:path"
import * as CliError from "./CliError.js"
import * as FileKind from "./FileKind.js"

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
 * The collected directory: the `sourceFiles` to send (folders before their files, sorted by
 * path) and a summary of each file.
 *
 * @since 0.1.0
 */
export interface Collected {
  readonly directory: string
  readonly sourceFiles: ReadonlyArray<SourceFile.SourceFile>
  readonly entries: ReadonlyArray<Entry>
  readonly inlineSize: number
}

type Matcher = ReturnType<typeof ignore>

interface Scope {
  /** path of the directory of the .gitignore, relative to the root, "" for the root */
  readonly base: string
  readonly matcher: Matcher
}

const relativeTo = (base: string, path: string): string => base === "" ? path : path.slice(base.length + 1)

/**
 * Collects the files of `directory` following the push rules.
 *
 * @example
 * ```ts
 * import { SourceDirectory } from "@effect-apify/cli"
 * import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
 * import * as Effect from "effect/Effect"
 *
 * const files = SourceDirectory.collect("./my-actor").pipe(Effect.provide(NodeFileSystem.layer))
 * ```
 *
 * @since 0.1.0
 */
export const collect = Effect.fn("SourceDirectory.collect")(function*(directory: string) {
  const fs = yield* FileSystem.FileSystem
  const root = NodePath.resolve(directory)
  const localError = (path: string, reason: string) =>
    new CliError.LocalFileError({ path, message: `cannot read ${path}: ${reason}` })

  const rootInfo = yield* fs.stat(root).pipe(
    Effect.mapError(() =>
      new CliError.InvalidInput({
        message: `directory ${directory} does not exist`,
        hint: "give the path of an Actor directory (one with .actor/actor.json)"
      })
    )
  )
  if (rootInfo.type !== "Directory") {
    return yield* new CliError.InvalidInput({
      message: `${directory} is not a directory`,
      hint: "give the path of an Actor directory (one with .actor/actor.json)"
    })
  }

  const readText = (path: string) => fs.readFileString(path).pipe(Effect.mapError((e) => localError(path, e.message)))
  const readIgnoreFile = (path: string): Effect.Effect<ReadonlyArray<string>, CliError.LocalFileError> =>
    fs.exists(path).pipe(
      Effect.orElseSucceed(() => false),
      Effect.flatMap((exists) =>
        exists ? Effect.map(readText(path), (text): ReadonlyArray<string> => [text]) : Effect.succeed([])
      )
    )

  const actorIgnoreText = yield* readIgnoreFile(NodePath.join(root, ".actorignore"))
  const actorIgnore = ignore().add(actorIgnoreText.join("\n"))
  const negations = actorIgnoreText.join("\n").split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("!"))
    .map((line) => line.slice(1).replace(/^\/+/, ""))
  // An excluded directory is only searched for files to force back in when a `!pattern`
  // could reach into it; the fixed excludes (node_modules, storage, ...) only when a pattern
  // names their path, so that they are never walked for nothing.
  const mayReincludeBelow = (rel: string, fixed: boolean): boolean =>
    negations.some((pattern) => pattern.startsWith(`${rel}/`) || (!fixed && !pattern.slice(0, -1).includes("/")))

  const folders: Array<string> = []
  const files: Array<{ readonly name: string; readonly path: string }> = []

  const walk = (
    relDir: string,
    scopes: ReadonlyArray<Scope>,
    excludedAbove: boolean
  ): Effect.Effect<void, CliError.LocalFileError> =>
    Effect.gen(function*() {
      const absDir = relDir === "" ? root : NodePath.join(root, relDir)
      const gitignore = yield* readIgnoreFile(NodePath.join(absDir, ".gitignore"))
      const here = gitignore.length > 0
        ? [...scopes, { base: relDir, matcher: ignore().add(gitignore.join("\n")) }]
        : scopes
      const names = (yield* fs.readDirectory(absDir).pipe(Effect.mapError((e) => localError(absDir, e.message))))
        .slice()
        .sort()
      for (const name of names) {
        const rel = relDir === "" ? name : `${relDir}/${name}`
        const abs = NodePath.join(absDir, name)
        const info = yield* fs.stat(abs).pipe(Effect.mapError((e) => localError(abs, e.message)))
        const isDir = info.type === "Directory"
        if (info.type !== "Directory" && info.type !== "File") continue
        if (name === ".git") continue
        const testPath = isDir ? `${rel}/` : rel
        const inActorDir = rel === ".actor" || rel.startsWith(".actor/")
        const fixed = (isDir && alwaysExcluded.includes(name)) ||
          (isDir && relDir === "" && rootExcluded.includes(name))
        let excluded = excludedAbove || fixed ||
          here.some((scope) => scope.matcher.ignores(relativeTo(scope.base, testPath)))
        const decision = actorIgnore.test(testPath)
        if (decision.unignored) excluded = false
        else if (decision.ignored) excluded = true
        if (inActorDir) excluded = false
        if (isDir) {
          if (excluded && !mayReincludeBelow(rel, fixed)) continue
          yield* walk(rel, here, excluded)
        } else if (!excluded) {
          files.push({ name: rel, path: abs })
        }
      }
    })

  yield* walk("", [], false)

  for (const file of files) {
    const parts = file.name.split("/")
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/")
      if (!folders.includes(folder)) folders.push(folder)
    }
  }

  const entries: Array<Entry> = []
  const sourceFiles: Array<SourceFile.SourceFile> = folders.sort().map((name) => SourceFile.folder(name))
  let inlineSize = 0
  for (const file of files) {
    const bytes = yield* fs.readFile(file.path).pipe(Effect.mapError((e) => localError(file.path, e.message)))
    const format = FileKind.formatOf(file.name, bytes)
    const content = format === "TEXT" ? new TextDecoder().decode(bytes) : Encoding.encodeBase64(bytes)
    sourceFiles.push(SourceFile.SourceCodeFile.make({ name: file.name, format, content }, true))
    entries.push({ name: file.name, format, bytes: bytes.length, sentSize: content.length })
    inlineSize += content.length
  }
  return { directory: root, sourceFiles, entries, inlineSize } satisfies Collected
})
