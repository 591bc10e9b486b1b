/**
 * Builds as the emulator keeps them. A build's status and log are not stored but derived from
 * the clock: it is `READY` for its first fifth (at most 500 ms), `RUNNING` until its duration
 * has passed, then `SUCCEEDED`, or `FAILED` when its source asked for it; `ABORTED` from the
 * moment it was aborted. Its log grows line by line while it runs. Deriving from the clock makes
 * the lifecycle follow `TestClock` in tests and needs no background fiber.
 *
 * @internal
 */
import * as HashMap from "effect/HashMap"
import type { User } from "../Model.js"

/** @internal */
export interface BuildRecord {
  readonly id: string
  readonly actorId: string
  readonly userId: string
  readonly versionNumber: string
  readonly buildNumber: string
  /** The tag the build gets when it succeeds. */
  readonly tag: string
  readonly startedAt: number
  readonly durationMillis: number
  /** Why the build fails, when it does. */
  readonly failure: string | undefined
  readonly abortedAt: number | undefined
  readonly useCache: boolean
  readonly betaPackages: boolean
  /** Where the source came from, for the log. */
  readonly source: string
  readonly origin: string
  readonly userAgent: string | undefined
}

/** @internal */
export type Builds = HashMap.HashMap<string, BuildRecord>

/** @internal */
export const empty: Builds = HashMap.empty()

/** @internal */
export interface Phase {
  readonly status: "READY" | "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED"
  readonly finishedAt: number | undefined
}

const readyFor = (build: BuildRecord) => Math.min(500, build.durationMillis / 5)

/**
 * The build's status at `now`.
 *
 * @internal
 */
export const phase = (build: BuildRecord, now: number): Phase => {
  const end = build.startedAt + build.durationMillis
  if (build.abortedAt !== undefined && build.abortedAt < end && now >= build.abortedAt) {
    return { status: "ABORTED", finishedAt: build.abortedAt }
  }
  if (now >= end) return { status: build.failure === undefined ? "SUCCEEDED" : "FAILED", finishedAt: end }
  return { status: now < build.startedAt + readyFor(build) ? "READY" : "RUNNING", finishedAt: undefined }
}

/**
 * When the build's status next changes after `now` (its end, or its abort), if it has not ended.
 *
 * @internal
 */
export const endsAt = (build: BuildRecord): number =>
  Math.min(build.startedAt + build.durationMillis, build.abortedAt ?? Number.POSITIVE_INFINITY)

const lines = (build: BuildRecord): ReadonlyArray<readonly [number, string]> => {
  const at = (fraction: number) => build.startedAt + Math.floor(build.durationMillis * fraction)
  const end = build.startedAt + build.durationMillis
  const all: Array<readonly [number, string]> = [
    [build.startedAt, `ACTOR: Build ${build.buildNumber} of version ${build.versionNumber} started (emulated).`],
    [build.startedAt + readyFor(build), `ACTOR: Fetching the source: ${build.source}`],
    [at(0.4), "Step 1/3 : FROM apify/actor-node:20"],
    [at(0.6), "Step 2/3 : COPY . ./"],
    [at(0.8), `Step 3/3 : RUN npm install${build.useCache ? " (cache used)" : ""}`],
    ...(build.failure === undefined
      ? [[end, `ACTOR: Build finished: SUCCEEDED. Tagged "${build.tag}".`] as const]
      : [[end, `ERROR: ${build.failure}`] as const, [end, "ACTOR: Build finished: FAILED."] as const])
  ]
  if (build.abortedAt === undefined || build.abortedAt >= end) return all
  return [...all.filter(([t]) => t < build.abortedAt!), [build.abortedAt, "ACTOR: Build was aborted."]]
}

/**
 * A line's text with every line break and other control character written as an escape (`\n`,
 * `\u001b`): the values in it (a build tag, a source URL) come from requests, and none may
 * end the line early and forge the next one.
 *
 * @internal
 */
export const oneLine = (text: string): string =>
  text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) =>
      c === "\n"
        ? "\\n"
        : c === "\r"
        ? "\\r"
        : c === "\t"
        ? "\\t"
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

/**
 * The log at `now`: one line per step reached, each with its time.
 *
 * @internal
 */
export const logText = (build: BuildRecord, now: number): string =>
  lines(build).filter(([t]) => t <= now).map(([t, text]) => `${new Date(t).toISOString()} ${oneLine(text)}\n`).join(
    ""
  )

/**
 * Aborts a build that has not ended; one that has is left as it is.
 *
 * @internal
 */
export const abort = (builds: Builds, build: BuildRecord, now: number): readonly [BuildRecord, Builds] => {
  if (phase(build, now).finishedAt !== undefined) return [build, builds]
  const aborted = { ...build, abortedAt: now }
  return [aborted, HashMap.set(builds, build.id, aborted)]
}

/**
 * The next build number of an Actor's version: `MAJOR.MINOR.N`, N counting from 1.
 *
 * @internal
 */
export const nextBuildNumber = (builds: Builds, actorId: string, versionNumber: string): string => {
  let n = 0
  for (const build of HashMap.values(builds)) {
    if (build.actorId === actorId && build.versionNumber === versionNumber) n++
  }
  return `${versionNumber}.${n + 1}`
}

/**
 * An Actor's tags at `now`: each tag points at the latest build given it that has succeeded.
 *
 * @internal
 */
export const taggedBuilds = (builds: Builds, actorId: string, now: number) => {
  const out: Record<string, { buildId: string; buildNumber: string; finishedAt: string }> = {}
  const latest: Record<string, number> = {}
  for (const build of HashMap.values(builds)) {
    if (build.actorId !== actorId) continue
    const { finishedAt, status } = phase(build, now)
    if (status !== "SUCCEEDED" || finishedAt === undefined || (latest[build.tag] ?? -1) > finishedAt) continue
    latest[build.tag] = finishedAt
    out[build.tag] = {
      buildId: build.id,
      buildNumber: build.buildNumber,
      finishedAt: new Date(finishedAt).toISOString()
    }
  }
  return Object.keys(out).length === 0 ? null : out
}

/**
 * The JSON form of a build at `now`; `usageTotalUsd` only for its owner, as on Apify.
 *
 * @internal
 */
export const buildJson = (build: BuildRecord, now: number, user: User | undefined) => {
  const { finishedAt, status } = phase(build, now)
  const took = (finishedAt ?? now) - build.startedAt
  return {
    id: build.id,
    actId: build.actorId,
    userId: build.userId,
    startedAt: new Date(build.startedAt).toISOString(),
    finishedAt: finishedAt === undefined ? null : new Date(finishedAt).toISOString(),
    status,
    meta: { origin: build.origin, ...(build.userAgent === undefined ? {} : { userAgent: build.userAgent }) },
    stats: { durationMillis: took, runTimeSecs: took / 1000, computeUnits: 0 },
    options: { useCache: build.useCache, betaPackages: build.betaPackages, memoryMbytes: 4096, diskMbytes: 8192 },
    ...(user?.id === build.userId ? { usageTotalUsd: 0 } : {}),
    buildNumber: build.buildNumber,
    actVersion: { versionNumber: build.versionNumber, buildTag: build.tag }
  }
}
