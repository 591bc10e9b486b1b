/**
 * What the commands print: JSON records for `--json`, and tables and short summaries for
 * people. Secret values never reach this module: the API does not return them, and requests
 * are summarised without their values.
 *
 * @since 0.1.0
 */
import { type Actors, ApifyClient } from "@effect-apify/api"
import { Actor, EnvVar, Version } from "@effect-apify/domain"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Format from "./Format.js"
import * as Progress from "./Progress.js"
import * as TerminalText from "./TerminalText.js"

/**
 * Prints `record` as JSON when `json` is set, else the text from `human`; a retry countdown
 * still on the terminal is cleared first.
 *
 * @since 0.1.0
 */
export const emit = (json: boolean, record: unknown, human: () => string): Effect.Effect<void> =>
  Effect.zipRight(
    Progress.stopCountdown,
    json ? Console.log(JSON.stringify(record, null, 2)) : Console.log(terminalLines(human()))
  )

/**
 * Prints one value on its own line, as `gh variable get` and `git config get` do: into a pipe
 * or file as it is (its bytes, control characters and all), on a terminal escaped so that it
 * reads back unambiguously (`TerminalText.escapeValue`). With `json`, the record instead.
 *
 * @since 0.1.0
 */
export const emitValue = (json: boolean, record: unknown, value: string): Effect.Effect<void> =>
  json
    ? emit(json, record, () => value)
    : Effect.zipRight(
      Progress.stopCountdown,
      Console.log(process.stdout.isTTY === true ? TerminalText.escapeValue(value) : value)
    )

/**
 * Prints a list: with `json` its records as JSON; else its table (none for an empty list) on
 * stdout and the notice about it (`No versions.`, `Showing 1-2 of 5. ...`) after it: on a
 * terminal below the table, into a pipe on stderr, so that stdout holds only rows.
 *
 * @since 0.1.0
 */
export const emitList = (
  json: boolean,
  records: ReadonlyArray<unknown>,
  view: () => { readonly table: string | undefined; readonly notice: string | undefined }
): Effect.Effect<void> => {
  if (json) return emit(json, records, () => "")
  const { notice, table } = view()
  const tty = process.stdout.isTTY === true
  return Effect.all([
    Progress.stopCountdown,
    table === undefined ? Effect.void : Console.log(terminalLines(table)),
    notice === undefined
      ? Effect.void
      : tty
      ? Console.log(terminalLines(table === undefined ? notice : `\n${notice}`))
      : Console.error(notice)
  ], { discard: true })
}

/**
 * Prints a line of text for people; nothing in `--json` mode.
 *
 * @since 0.1.0
 */
export const say = (json: boolean, text: string): Effect.Effect<void> =>
  json ? Progress.stopCountdown : Effect.zipRight(Progress.stopCountdown, Console.log(terminalLines(text)))

/**
 * Human text as printed: every line escaped (see `TerminalText`), whatever server text it
 * holds; the line breaks of the layout are kept. Server text that may hold a line break of
 * its own is escaped where it is put in, so its `\n` shows as such.
 */
const terminalLines = (text: string): string => text.split("\n").map(TerminalText.escape).join("\n")

/**
 * The width tables are fitted to: the terminal's when stdout is one, else none (a pipe gets
 * whole values).
 *
 * @since 0.1.0
 */
export const tableWidth = (): number | undefined =>
  process.stdout.isTTY === true && typeof process.stdout.columns === "number" ? process.stdout.columns : undefined

const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  keep?: ReadonlyArray<number>
): string => Format.table(header, rows, tableWidth(), keep)

const encodeVersion = Schema.encodeSync(Version.Version)
const encodeActor = Schema.encodeSync(Actor.Actor)
const encodeEnvVar = Schema.encodeSync(EnvVar.EnvVar)

/**
 * A version as the API sent it (its `data`, exactly as received; re-encoded only for a record
 * not decoded from an answer): the `--json` record.
 *
 * @since 0.1.0
 */
export const versionRecord = (version: Version.Version): unknown =>
  ApifyClient.receivedData(version) ?? encodeVersion(version)

/**
 * An Actor as the API sent it: the `--json` record.
 *
 * @since 0.1.0
 */
export const actorRecord = (actor: Actor.Actor): unknown => ApifyClient.receivedData(actor) ?? encodeActor(actor)

/**
 * An env var as the API sent it: the `--json` record (a secret has no `value`).
 *
 * @since 0.1.0
 */
export const envVarRecord = (envVar: EnvVar.EnvVar): unknown => ApifyClient.receivedData(envVar) ?? encodeEnvVar(envVar)

const sourceType = (version: Version.Version): string => version.sourceType ?? "(none)"

const yesNo = (value: boolean | undefined): string | undefined => value === undefined ? undefined : value ? "yes" : "no"

/**
 * How an env var's value is shown: secrets as `(secret)`.
 *
 * @since 0.1.0
 */
export const envVarValue = (envVar: EnvVar.EnvVar): string => envVar.isSecret ? "(secret)" : envVar.value ?? ""

const envVarsSummary = (envVars: ReadonlyArray<EnvVar.EnvVar> | undefined): string => {
  if (envVars === undefined || envVars.length === 0) return "none"
  const secrets = envVars.filter((v) => v.isSecret).length
  return secrets === 0
    ? envVars.map((v) => v.name).join(", ")
    : `${envVars.map((v) => v.name).join(", ")} (${secrets} secret)`
}

/**
 * A table of versions.
 *
 * @since 0.1.0
 */
export const versionsTable = (
  versions: ReadonlyArray<Version.Version>
): { readonly table: string | undefined; readonly notice: string | undefined } =>
  versions.length === 0 ? { table: undefined, notice: "No versions." } : {
    notice: undefined,
    table: table(
      ["VERSION", "SOURCE TYPE", "BUILD TAG", "ENV VARS", "SOURCE"],
      versions.map((v) => [
        v.versionNumber,
        sourceType(v),
        v.buildTag ?? "",
        String(v.envVars?.length ?? 0),
        Version.sourceSummary(v)
      ])
    )
  }

const filesSummary = (version: Version.Version): string | undefined => {
  if (version.sourceFiles === undefined) return undefined
  const files = Format.count(version.sourceFiles.filter((f) => f._tag === "SourceCodeFile").length, "file")
  return version._tag === "SourceFilesVersion" ? files : `${files} (kept from an earlier source, not used)`
}

/**
 * One version in detail: its settings, then its files and env vars.
 *
 * @since 0.1.0
 */
export const versionDetails = (version: Version.Version): string => {
  const head = Format.fields([
    ["version", version.versionNumber],
    ["source type", sourceType(version)],
    ["git repo", version.gitRepoUrl],
    ["tarball", version.tarballUrl],
    ["gist", version.gitHubGistUrl],
    ["files", filesSummary(version)],
    ["build tag", version.buildTag ?? "(none)"],
    ["env vars", envVarsSummary(version.envVars)],
    ["apply env vars to build", yesNo(version.applyEnvVarsToBuild)]
  ])
  const parts = [head]
  if (version._tag === "SourceFilesVersion" && version.sourceFiles.length > 0) {
    parts.push(table(
      ["FILE", "FORMAT", "SIZE"],
      version.sourceFiles.map((f) =>
        f._tag === "SourceCodeFolder"
          ? [`${f.name}/`, "folder", ""]
          : [f.name, f.format, Format.bytes(f.content.length)]
      )
    ))
  }
  if (version.envVars !== undefined && version.envVars.length > 0) parts.push(envVarsTable(version.envVars))
  return parts.join("\n\n")
}

/**
 * A table of env vars, secret values hidden.
 *
 * @since 0.1.0
 */
export const envVarsTable = (envVars: ReadonlyArray<EnvVar.EnvVar>): string =>
  table(
    ["NAME", "VALUE", "SECRET"],
    envVars.map((
      v
    ) => [v.name, v.isSecret ? "(secret)" : TerminalText.escapeValue(v.value ?? ""), v.isSecret ? "yes" : "no"])
  )

/**
 * One Actor in detail.
 *
 * @since 0.1.0
 */
export const actorDetails = (actor: Actor.Actor): string => {
  const head = Format.fields([
    ["id", actor.id],
    ["name", actor.fullName],
    ["title", actor.title],
    ["description", actor.description],
    ["public", actor.isPublic ? "yes" : "no"],
    ["created", actor.createdAt],
    ["modified", actor.modifiedAt],
    ["versions", actor.versions.length === 0 ? "none" : actor.versions.map((v) => v.versionNumber).join(", ")]
  ])
  return head
}

/**
 * An Actor of a list as the API sent it: the `--json` record.
 *
 * @since 0.1.0
 */
export const actorListRecord = (item: Actors.ListItem): unknown => ApifyClient.receivedData(item) ?? { ...item }

/**
 * A page of Actors: a table, and a notice of which ones of how many and how to get the next
 * page (with the `--limit` given, if one was).
 *
 * @since 0.1.0
 */
export const actorsTable = (
  page: Actors.ListPage,
  limit?: number
): { readonly table: string | undefined; readonly notice: string } => {
  if (page.items.length === 0) {
    return { table: undefined, notice: page.offset === 0 ? "No Actors." : `No Actors past ${page.offset}.` }
  }
  const rows = table(
    ["ACTOR", "ID", "TITLE", "MODIFIED"],
    page.items.map((a) => [
      a.username === undefined ? a.name : `${a.username}~${a.name}`,
      a.id,
      a.title ?? "",
      a.modifiedAt ?? ""
    ]),
    [0, 1]
  )
  const last = page.offset + page.items.length
  const total = page.total ?? last
  const range = `Showing ${page.offset + 1}-${last} of ${total}.`
  const next = `Next page: --offset ${last}${limit === undefined ? "" : ` --limit ${limit}`}`
  return { table: rows, notice: last < total ? `${range} ${next}` : range }
}
