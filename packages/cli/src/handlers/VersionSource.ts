/**
 * What `versions create` and `versions update` send: the one source given (a URL, or the files
 * of `--source-dir`), the env vars and the build settings, checked before any request.
 *
 * @since 0.1.0
 */
import { EnvVar } from "@effect-apify/domain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as CliError from "../CliError.js"
import type * as Flags from "../Flags.js"
import * as Format from "../Format.js"
import * as SourceDirectory from "../SourceDirectory.js"
import * as TerminalText from "../TerminalText.js"
import { parseAssignment } from "./Arguments.js"

const envVarsFrom = (flags: Flags.SourceFlags) =>
  Effect.gen(function*() {
    if (flags.env.length === 0 && flags.secretEnv.length === 0) return undefined
    const out: Array<EnvVar.EnvVarRequest> = []
    for (const item of flags.env) {
      const { name, value } = yield* parseAssignment(item, "--env")
      out.push(EnvVar.plain(name, value))
    }
    for (const item of flags.secretEnv) {
      const { name, value } = yield* parseAssignment(item, "--secret-env")
      out.push(EnvVar.secret(name, value))
    }
    return out
  })

/**
 * Prints one warning line per entry the walk skipped (outside links, FIFOs, dangling links);
 * each name is escaped, so that a name holding a line break cannot print a line of its own.
 *
 * @since 0.1.0
 */
export const warnSkipped = (collected: SourceDirectory.Collected) =>
  Effect.forEach(
    collected.skipped,
    (s) => Console.error(`Warning: skipped ${TerminalText.escape(s.name)}: ${TerminalText.escape(s.reason)}.`),
    { discard: true }
  )

const inlineFiles = (directory: string) => Effect.tap(SourceDirectory.collect(directory), warnSkipped)

/**
 * The source of a version: a URL, or the files to send inline.
 *
 * @since 0.1.0
 */
export type Source =
  | { readonly sourceType: "GIT_REPO"; readonly gitRepoUrl: string }
  | { readonly sourceType: "TARBALL"; readonly tarballUrl: string }
  | { readonly sourceType: "GITHUB_GIST"; readonly gitHubGistUrl: string }
  | {
    readonly sourceType: "SOURCE_FILES"
    readonly sourceFiles: SourceDirectory.Collected["sourceFiles"]
  }

/**
 * The one source given, required or not; `--source-dir` is collected here (the push rules).
 *
 * @since 0.1.0
 */
export const sourceFrom = (
  flags: Flags.SourceFlags,
  required: boolean
): Effect.Effect<Source | undefined, CliError.CliError> =>
  Effect.gen(function*() {
    const given: Array<readonly ["--git-repo" | "--tarball" | "--gist" | "--source-dir", string]> = []
    if (Option.isSome(flags.gitRepo)) given.push(["--git-repo", flags.gitRepo.value])
    if (Option.isSome(flags.tarball)) given.push(["--tarball", flags.tarball.value])
    if (Option.isSome(flags.gist)) given.push(["--gist", flags.gist.value])
    if (Option.isSome(flags.sourceDir)) given.push(["--source-dir", flags.sourceDir.value])
    if (given.length > 1) {
      return yield* new CliError.InvalidInput({
        message: `give one source, not ${given.map(([flag]) => flag).join(" and ")}`,
        hint: "a version has one source: --git-repo, --tarball, --gist or --source-dir"
      })
    }
    const first = given[0]
    if (first === undefined) {
      if (!required) return undefined
      return yield* new CliError.InvalidInput({
        message: "no source given",
        hint: "give one of --git-repo URL, --tarball URL, --gist URL or --source-dir DIR"
      })
    }
    const [flag, value] = first
    switch (flag) {
      case "--git-repo":
        return { sourceType: "GIT_REPO", gitRepoUrl: value } satisfies Source
      case "--tarball":
        return { sourceType: "TARBALL", tarballUrl: value } satisfies Source
      case "--gist":
        return { sourceType: "GITHUB_GIST", gitHubGistUrl: value } satisfies Source
      case "--source-dir": {
        const collected = yield* inlineFiles(value)
        return { sourceType: "SOURCE_FILES", sourceFiles: collected.sourceFiles } satisfies Source
      }
    }
  })

/**
 * The env vars and build settings given.
 *
 * @since 0.1.0
 */
export const settingsFrom = (flags: Flags.SourceFlags) =>
  Effect.flatMap(envVarsFrom(flags), (envVars) =>
    flags.applyEnvVarsToBuild && flags.noApplyEnvVarsToBuild
      ? Effect.fail(
        new CliError.InvalidInput({
          message: "--apply-env-vars-to-build and --no-apply-env-vars-to-build contradict each other",
          hint: "give one of them"
        })
      )
      : Effect.succeed({
        ...(envVars === undefined ? {} : { envVars }),
        ...Option.match(flags.buildTag, { onNone: () => ({}), onSome: (buildTag) => ({ buildTag }) }),
        ...(flags.applyEnvVarsToBuild ? { applyEnvVarsToBuild: true } : {}),
        ...(flags.noApplyEnvVarsToBuild ? { applyEnvVarsToBuild: false } : {})
      }))

/**
 * How the progress line names the source, e.g. ` from 9 files`.
 *
 * @since 0.1.0
 */
export const sourceLabel = (source: Source | undefined): string => {
  if (source === undefined) return ""
  switch (source.sourceType) {
    case "GIT_REPO":
      return ` from ${source.gitRepoUrl}`
    case "TARBALL":
      return ` from ${source.tarballUrl}`
    case "GITHUB_GIST":
      return ` from ${source.gitHubGistUrl}`
    case "SOURCE_FILES":
      return ` from ${Format.count(source.sourceFiles.filter((f) => "content" in f).length, "file")}`
  }
}
