/**
 * A build of an Actor version as the API returns it, its status, and the query that starts or
 * reads one.
 *
 * Answers decode leniently like the other records: unknown fields are dropped, `null` reads as
 * absent, and a status this library does not know (one added after this release) is kept as
 * it came.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as QueryValue from "./QueryValue.js"
import * as VersionNumber from "./VersionNumber.js"

const nullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true, exact: true })

/**
 * The statuses Apify documents for builds (and runs).
 *
 * @since 0.1.0
 */
export const KnownStatus = Schema.Literal(
  "READY",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "TIMING-OUT",
  "TIMED-OUT",
  "ABORTING",
  "ABORTED"
)

/**
 * The decoded type of `KnownStatus`.
 *
 * @since 0.1.0
 */
export type KnownStatus = typeof KnownStatus.Type

/**
 * A build's status: one of `KnownStatus`, or any other string the API may add later.
 *
 * @since 0.1.0
 */
export type Status = KnownStatus | (string & {})

/**
 * The schema of `Status`: every string decodes.
 *
 * @since 0.1.0
 */
export const Status: Schema.Schema<Status, string> = Schema.Union(KnownStatus, Schema.String).annotations({
  identifier: "BuildStatus"
})

/**
 * The statuses a build ends in.
 *
 * @since 0.1.0
 */
export const terminalStatuses: ReadonlyArray<KnownStatus> = ["SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED"]

/**
 * A build ID, as it appears in paths: not empty.
 *
 * @since 0.1.0
 */
export const BuildId = Schema.String.pipe(
  Schema.filter((s) => s.length > 0 || "build ID must not be empty"),
  Schema.brand("BuildId"),
  Schema.annotations({ identifier: "BuildId", title: "build ID" })
)

/**
 * The decoded type of `BuildId`.
 *
 * @since 0.1.0
 */
export type BuildId = typeof BuildId.Type

/**
 * Who started a build and from where.
 *
 * @since 0.1.0
 */
export class BuildMeta extends Schema.Class<BuildMeta>("BuildMeta")({
  origin: nullable(Schema.String),
  clientIp: nullable(Schema.String),
  userAgent: nullable(Schema.String)
}) {}

/**
 * The options a build ran with.
 *
 * @since 0.1.0
 */
export class BuildOptions extends Schema.Class<BuildOptions>("BuildOptions")({
  useCache: nullable(Schema.Boolean),
  betaPackages: nullable(Schema.Boolean),
  memoryMbytes: nullable(Schema.Number),
  diskMbytes: nullable(Schema.Number)
}) {}

/**
 * How long a build took and what it used.
 *
 * @since 0.1.0
 */
export class BuildStats extends Schema.Class<BuildStats>("BuildStats")({
  durationMillis: nullable(Schema.Number),
  runTimeSecs: nullable(Schema.Number),
  computeUnits: nullable(Schema.Number),
  imageSizeBytes: nullable(Schema.Number)
}) {}

// An ISO 8601 date and time, as the API writes them (`2026-01-01T00:00:00.000Z`).
const isDateTime = (text: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) && !Number.isNaN(Date.parse(text))

/**
 * A build. `buildNumber` is `MAJOR.MINOR.N` (the version and a counter); `finishedAt` is set
 * once the build has ended.
 *
 * @since 0.1.0
 */
export class Build extends Schema.Class<Build>("Build")({
  id: Schema.String,
  actId: Schema.String,
  userId: nullable(Schema.String),
  status: Status,
  startedAt: nullable(Schema.String),
  finishedAt: nullable(Schema.String),
  buildNumber: nullable(Schema.String),
  meta: nullable(BuildMeta),
  stats: nullable(BuildStats),
  options: nullable(BuildOptions),
  usageTotalUsd: nullable(Schema.Number)
}) {
  /**
   * Whether the build has ended: its status is one of `terminalStatuses`, or, for a status
   * this library does not know, the build has a `finishedAt` that is an ISO 8601 date and time
   * (`""` or any other text does not count).
   *
   * @since 0.1.0
   */
  get isFinished(): boolean {
    return isTerminal(this.status) ||
      (!Schema.is(KnownStatus)(this.status) && this.finishedAt !== undefined && isDateTime(this.finishedAt))
  }
}

/**
 * Whether a status is one a build ends in.
 *
 * @since 0.1.0
 */
export const isTerminal = (status: string): boolean => (terminalStatuses as ReadonlyArray<string>).includes(status)

/**
 * The longest the API waits for a build to finish within one request (`waitForFinish`), in
 * seconds.
 *
 * @since 0.1.0
 */
export const maxWaitForFinishSecs = 60

/**
 * `waitForFinish`: the seconds the server waits for the build to finish before it answers
 * (0 to 60; the API answers at 60 s at the latest).
 *
 * @since 0.1.0
 */
export const WaitForFinish = QueryValue.NonNegativeNumber

/**
 * The query of "build an Actor version" (`POST /v2/acts/:actorId/builds`): the `version` to
 * build, the `tag` to apply on success (default: the version's `buildTag`), `useCache`,
 * `betaPackages` and `waitForFinish`.
 *
 * @since 0.1.0
 */
export const CreateQuery = Schema.Struct({
  version: VersionNumber.VersionNumber,
  tag: Schema.optional(Schema.NonEmptyString),
  useCache: Schema.optional(QueryValue.Boolean),
  betaPackages: Schema.optional(QueryValue.Boolean),
  waitForFinish: Schema.optional(WaitForFinish)
})

/**
 * The decoded type of `CreateQuery`.
 *
 * @since 0.1.0
 */
export type CreateQuery = typeof CreateQuery.Type

/**
 * The query of "get build" (`GET /v2/actor-builds/:buildId`).
 *
 * @since 0.1.0
 */
export const GetQuery = Schema.Struct({
  waitForFinish: Schema.optional(WaitForFinish)
})

/**
 * The decoded type of `GetQuery`.
 *
 * @since 0.1.0
 */
export type GetQuery = typeof GetQuery.Type

/**
 * The query of "get log" (`GET /v2/logs/:buildId`): `stream` keeps the answer open and sends
 * the log as it grows until the build ends; `raw` and `download` as Apify documents them.
 *
 * @since 0.1.0
 */
export const LogQuery = Schema.Struct({
  stream: Schema.optional(QueryValue.Boolean),
  raw: Schema.optional(QueryValue.Boolean),
  download: Schema.optional(QueryValue.Boolean)
})

/**
 * The decoded type of `LogQuery`.
 *
 * @since 0.1.0
 */
export type LogQuery = typeof LogQuery.Type
