/**
 * The handler of `versions pull`: writes a SOURCE_FILES version's files, or the files of a
 * TARBALL version's zip (`TarballDownload`: into a temporary file, removed at the end;
 * `ZipReader`), checked (`SourceWriter`), into a
 * directory (`TreeWriter`: nothing is left half-written on a failure or Ctrl-C);
 * a version built from a Git repository or a gist is named with its URL instead, and nothing
 * is written.
 *
 * @since 0.1.0
 */
import { ActorVersions } from "@effect-apify/api"
import type { Version } from "@effect-apify/domain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as CliError from "../CliError.js"
import type * as Flags from "../Flags.js"
import * as Format from "../Format.js"
import * as Output from "../Output.js"
import * as PullSteps from "../PullSteps.js"
import { run } from "../Runner.js"
import * as SourceWriter from "../SourceWriter.js"
import * as TarballDownload from "../TarballDownload.js"
import * as TerminalText from "../TerminalText.js"
import * as TreeWriter from "../TreeWriter.js"
import * as ZipReader from "../ZipReader.js"
import { notFoundVersions, parseActor, parseVersion } from "./Arguments.js"

/**
 * The parsed arguments of `versions pull`.
 *
 * @since 0.1.0
 */
export type PullArgs = Flags.CommonFlags & {
  readonly actor: string
  readonly version: string
  readonly directory: Option.Option<string>
  readonly force: boolean
}

/**
 * The directory made when none is given, as `git clone` names one after the repository: the
 * Actor's name and the version, e.g. `my-actor-0.1` for `janedoe~my-actor` version 0.1.
 *
 * @since 0.1.0
 */
export const defaultDirectory = (actor: string, version: string): string =>
  `${actor.split(/[~/]/).pop() ?? actor}-${version}`

const notEmpty = (directory: string): boolean => {
  try {
    return NodeFs.readdirSync(directory).length > 0
  } catch {
    return false
  }
}

// Where a version that is not SOURCE_FILES keeps its sources, and how to get them.
const elsewhere = (version: Version.Version): CliError.InvalidInput | undefined => {
  const at = (what: string, url: string, hint: string) =>
    new CliError.InvalidInput({
      message: `version ${version.versionNumber} is built from ${what} ${
        TerminalText.escape(url)
      }; nothing was written`,
      hint
    })
  switch (version._tag) {
    case "SourceFilesVersion":
    case "TarballVersion":
      return undefined
    case "GitRepoVersion":
      return at("the Git repository", version.gitRepoUrl, "get its sources with git clone")
    case "GitHubGistVersion":
      return at("the gist", version.gitHubGistUrl, "get its sources with git clone of the gist")
    case "UnknownSourceVersion":
      return new CliError.InvalidInput({
        message: `version ${version.versionNumber} has the source type ${
          TerminalText.escape(version.sourceType ?? "(none)")
        }, which pull cannot write; nothing was written`,
        hint: "see it with versions get --json"
      })
  }
}

/**
 * `versions pull`: writes the sources of a SOURCE_FILES or TARBALL version into a directory.
 *
 * @since 0.1.0
 */
export const versionsPull = (args: PullArgs) => {
  const given = Option.getOrUndefined(args.directory)
  const directory = given ?? defaultDirectory(args.actor, args.version)
  return run(
    args,
    `pull version ${args.version} of ${args.actor} into ${directory}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const versionNumber = yield* parseVersion(args.version)
      const notADirectory = TreeWriter.rootProblem(directory)
      if (notADirectory !== undefined) return yield* notADirectory
      if (given === undefined && notEmpty(directory)) {
        return yield* new CliError.InvalidInput({
          message: `the directory ${TerminalText.escape(directory)} exists and is not empty`,
          hint: "give a directory to pull into (DIR), or remove it"
        })
      }
      const versions = yield* ActorVersions.ActorVersions
      const version = yield* versions.get(actorId, versionNumber)
      const refused = elsewhere(version)
      if (refused !== undefined) return yield* refused
      const root = NodePath.resolve(directory)
      const tree = yield* Effect.mapError(
        version._tag === "TarballVersion"
          ? Effect.flatMap(
            TarballDownload.downloadToFile(version.tarballUrl, TarballDownload.folderFor(root)),
            ZipReader.treeOf
          )
          : SourceWriter.plan(version._tag === "SourceFilesVersion" ? version.sourceFiles : []),
        PullSteps.saidNothingWritten
      )
      yield* TreeWriter.write(root, tree, args.force)
      const bytes = tree.files.reduce((sum, f) => sum + f.size, 0)
      const summary = `${Format.count(tree.files.length, "file")}, ${Format.bytes(bytes)}`
      yield* args.json
        ? Output.emit(true, { directory: root, files: tree.files.map((f) => f.name) }, () => "")
        : Console.error(
          `Pulled version ${version.versionNumber} of ${actorId} into ${TerminalText.escape(directory)}: ${summary}.`
        )
    }).pipe(Effect.scoped),
    { notFoundHint: notFoundVersions(args.actor) }
  )
}
