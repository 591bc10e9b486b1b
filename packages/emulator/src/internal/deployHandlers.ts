/**
 * The handlers of builds, logs and key-value stores (see `buildStore.ts` for the build
 * lifecycle). A build fails when its version's source holds a file named exactly
 * `.emulator-build-fail`, in any folder (a `SOURCE_FILES` file, or a file entry of a `TARBALL`
 * zip stored in this emulator, by the names of its central directory), or when its `TARBALL`
 * URL names a record of this emulator that does not exist.
 *
 * @internal
 */
import { Build, Issue, KeyValueStore } from "@effect-apify/domain"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { User, VersionRecord } from "../Model.js"
import * as ApiError from "./apiError.js"
import * as BuildStore from "./buildStore.js"
import type { Handler, Operations, Raw } from "./handler.js"
import type { Internals } from "./internals.js"
import * as KvStore from "./kvStore.js"
import * as Prng from "./prng.js"
import * as State from "./state.js"
import * as ZipNames from "./zipNames.js"

/**
 * The name of the file that makes a build fail.
 *
 * @internal
 */
export const failMarker = ".emulator-build-fail"

/**
 * The operations anyone may call without a token: a build and its log are read by their
 * hard-to-guess IDs, as on Apify; a record with its signature (`KvStore.readableStore`).
 *
 * @internal
 */
export const tokenless: ReadonlySet<string> = new Set(["getBuild", "getLog", "getBuildLog", "getRecord"])

/**
 * The caller of a tokenless operation that sent no token: owns nothing.
 *
 * @internal
 */
export const anonymous: User = { id: "", username: "", token: "" }

const decodeQuery = <A, I>(schema: Schema.Schema<A, I>, query: URLSearchParams) =>
  Schema.decodeUnknown(schema)(Object.fromEntries(query), { errors: "all" }).pipe(
    Effect.mapError((error) => ApiError.invalidInput(Issue.summary(error)))
  )

const newId = (internals: Internals) => Ref.modify(internals.ids, (s) => Prng.id(s))

/**
 * Whether a file of this name makes a build fail: it is named exactly `.emulator-build-fail`,
 * at the root or in any folder (`src/no.emulator-build-fail.txt` does not).
 *
 * @internal
 */
export const isFailMarker = (name: string): boolean => name === failMarker || name.endsWith(`/${failMarker}`)

// Builds build nothing: an archive whose entries cannot be read has none that fails it.
const archiveFailure = (bytes: Uint8Array): string | undefined =>
  ZipNames.entryNames(bytes)?.some(isFailMarker) === true ? `the archive holds ${failMarker}` : undefined

/** Where a version's source is, and why a build of it fails (if it does). */
const inspect = (version: VersionRecord, stores: KvStore.Stores): { source: string; failure: string | undefined } => {
  switch (version.sourceType) {
    case "SOURCE_FILES": {
      const files = version.sourceFiles ?? []
      const marked = files.some((f) => !("folder" in f) && isFailMarker(f.name))
      return {
        source: `${files.filter((f) => !("folder" in f)).length} source files`,
        failure: marked ? `the source holds ${failMarker}` : undefined
      }
    }
    case "TARBALL": {
      const url = version.tarballUrl ?? ""
      const stored = KvStore.recordAt(stores, url)
      const failure = Option.isSome(stored)
        ? archiveFailure(stored.value.bytes)
        : KvStore.isRecordUrl(url)
        ? `cannot download the source archive: no record at ${url}`
        : undefined
      return { source: `archive ${url}`, failure }
    }
    default:
      return { source: version.gitRepoUrl ?? version.gitHubGistUrl ?? version.sourceType, failure: undefined }
  }
}

const buildNotFound = ApiError.recordNotFound("Actor build was not found")

const findBuild = (internals: Internals, buildId: string) =>
  Effect.flatMap(Ref.get(internals.builds), (builds) =>
    Option.match(HashMap.get(builds, buildId), {
      onNone: () => Effect.fail(buildNotFound),
      onSome: Effect.succeed
    }))

/** The build once it has ended or `waitSecs` (at most 60) have passed. */
const awaited = (internals: Internals, buildId: string, waitSecs: number) =>
  Effect.gen(function*() {
    const deadline = (yield* Clock.currentTimeMillis) + Math.min(waitSecs, Build.maxWaitForFinishSecs) * 1000
    while (true) {
      const build = yield* findBuild(internals, buildId)
      const now = yield* Clock.currentTimeMillis
      if (BuildStore.phase(build, now).finishedAt !== undefined || now >= deadline) return [build, now] as const
      // an abort may come in meanwhile: look again at least every 250 ms
      yield* Effect.sleep(Math.max(1, Math.min(BuildStore.endsAt(build), deadline, now + 250) - now))
    }
  })

const buildActor: Handler<Operations["buildActor"]> = (internals, { current, parameters, query, user }) =>
  Effect.gen(function*() {
    const q = yield* decodeQuery(Build.CreateQuery, query)
    const actor = yield* State.resolveActor(current, user, parameters.actorId, "write")
    const version = yield* State.findVersion(actor, q.version)
    const { failure, source } = inspect(version, yield* Ref.get(internals.stores))
    const id = yield* newId(internals)
    const now = yield* Clock.currentTimeMillis
    yield* Ref.update(internals.builds, (builds) =>
      HashMap.set(builds, id, {
        id,
        actorId: actor.id,
        userId: user.id,
        versionNumber: version.versionNumber,
        buildNumber: BuildStore.nextBuildNumber(builds, actor.id, version.versionNumber),
        tag: q.tag ?? version.buildTag ?? "latest",
        startedAt: now,
        durationMillis: internals.buildMillis,
        failure,
        abortedAt: undefined,
        useCache: q.useCache ?? false,
        betaPackages: q.betaPackages ?? false,
        source,
        origin: "API",
        userAgent: undefined
      }))
    const [build, at] = yield* awaited(internals, id, q.waitForFinish ?? 0)
    return { data: BuildStore.buildJson(build, at, user), apiLocation: `/actor-builds/${id}` }
  })

const getBuild: Handler<Operations["getBuild"]> = (internals, { parameters, query, user }) =>
  Effect.gen(function*() {
    const q = yield* decodeQuery(Build.GetQuery, query)
    const [build, at] = yield* awaited(internals, parameters.buildId, q.waitForFinish ?? 0)
    return { data: BuildStore.buildJson(build, at, user) }
  })

const abortBuild: Handler<Operations["abortBuild"]> = (internals, { parameters, user }) =>
  Effect.gen(function*() {
    const build = yield* findBuild(internals, parameters.buildId)
    if (build.userId !== user.id) {
      return yield* Effect.fail(ApiError.make("insufficient-permissions", "Insufficient permissions for the build."))
    }
    const now = yield* Clock.currentTimeMillis
    const aborted = yield* Ref.modify(internals.builds, (builds) => BuildStore.abort(builds, build, now))
    return { data: BuildStore.buildJson(aborted, now, user) }
  })

const encoder = new TextEncoder()

/** The log from byte `from` on, as it grows, until the build has ended. */
const follow = (internals: Internals, buildId: string): Stream.Stream<Uint8Array> =>
  Stream.paginateEffect(0, (from: number) =>
    Effect.gen(function*() {
      const build = yield* Effect.orDie(findBuild(internals, buildId))
      const now = yield* Clock.currentTimeMillis
      const bytes = encoder.encode(BuildStore.logText(build, now))
      const ended = BuildStore.phase(build, now).finishedAt !== undefined
      if (!ended && bytes.length === from) yield* Effect.sleep(100)
      return [bytes.subarray(from), ended ? Option.none() : Option.some(bytes.length)] as const
    })).pipe(Stream.filter((chunk) => chunk.length > 0))

const getLog = (
  internals: Internals,
  { parameters, query }: { readonly parameters: { readonly buildId: string }; readonly query: URLSearchParams }
): Effect.Effect<Raw, ApiError.ApiError> =>
  Effect.gen(function*() {
    const q = yield* decodeQuery(Build.LogQuery, query)
    const build = yield* findBuild(internals, parameters.buildId)
    const headers = q.download === true ? { "content-disposition": `attachment; filename="${build.id}.log"` } : {}
    if (q.stream === true) {
      return {
        raw: HttpServerResponse.stream(follow(internals, build.id), {
          contentType: "text/plain; charset=utf-8",
          headers
        })
      }
    }
    const text = BuildStore.logText(build, yield* Clock.currentTimeMillis)
    return { raw: HttpServerResponse.text(text, { contentType: "text/plain; charset=utf-8", headers }) }
  })

const getOrCreateStore: Handler<Operations["getOrCreateStore"]> = (internals, { origin, query, user }) =>
  Effect.gen(function*() {
    const { name } = yield* decodeQuery(KeyValueStore.GetOrCreateQuery, query)
    const id = yield* newId(internals)
    const signingKey = yield* newId(internals)
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    const [store, created] = yield* Ref.modify(
      internals.stores,
      (stores) => KvStore.getOrCreate(stores, user, name, id, signingKey, now)
    )
    return {
      data: KvStore.storeJson(store, origin),
      status: created ? 201 : 200,
      ...(created ? { apiLocation: `/key-value-stores/${store.id}` } : {})
    }
  })

const getStore: Handler<Operations["getStore"]> = (internals, { origin, parameters, user }) =>
  Effect.gen(function*() {
    const store = yield* KvStore.ownStore(yield* Ref.get(internals.stores), user, parameters.storeId)
    return { data: KvStore.storeJson(store, origin) }
  })

const checkKey = (key: string) =>
  Either.mapLeft(
    Schema.decodeUnknownEither(KeyValueStore.RecordKey)(key),
    (error) => ApiError.invalidInput(Issue.summary(error))
  )

const putRecord: Handler<Operations["putRecord"]> = (internals, { parameters, upload, user }) =>
  Effect.gen(function*() {
    yield* checkKey(parameters.recordKey)
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    const value: KvStore.StoredValue = {
      bytes: upload?.bytes ?? new Uint8Array(),
      contentType: upload?.contentType ?? "application/octet-stream",
      modifiedAt: now
    }
    const stored = yield* Ref.modify(
      internals.stores,
      (stores): readonly [Either.Either<void, ApiError.ApiError>, KvStore.Stores] => {
        const result = KvStore.putRecord(stores, user, parameters.storeId, parameters.recordKey, value)
        return Either.isRight(result) ? [Either.void, result.right[1]] : [Either.left(result.left), stores]
      }
    )
    yield* stored
    return { raw: HttpServerResponse.unsafeJson({}, { status: 201 }) }
  })

const flag = (query: URLSearchParams, name: string) => query.get(name) === "1" || query.get(name) === "true"

const getRecord: Handler<Operations["getRecord"]> = (internals, { origin, parameters, query, user }) =>
  Effect.gen(function*() {
    const key = parameters.recordKey
    const signed = query.get("signature") ?? undefined
    const store = yield* KvStore.readableStore(
      yield* Ref.get(internals.stores),
      user === anonymous ? undefined : user,
      parameters.storeId,
      key,
      signed
    )
    const value = yield* KvStore.recordOf(store, key)
    const attachment = flag(query, "attachment")
    if (internals.recordRedirects && signed === undefined && !flag(query, "disableRedirect")) {
      // as Apify sends a reader to the storage, with a URL that needs no token
      const location = new URL(`${origin}/v2/key-value-stores/${store.id}/records/${encodeURIComponent(key)}`)
      location.searchParams.set("signature", KvStore.signature(store.signingKey, key))
      if (attachment) location.searchParams.set("attachment", "true")
      return { raw: HttpServerResponse.empty({ status: 302, headers: { location: location.href } }) }
    }
    return {
      raw: HttpServerResponse.uint8Array(value.bytes, {
        contentType: value.contentType,
        headers: attachment ? { "content-disposition": `attachment; filename="${key}"` } : {}
      })
    }
  })

/**
 * The handlers, by operation name.
 *
 * @internal
 */
export const handlers: {
  readonly [
    K in
      | "buildActor"
      | "getBuild"
      | "abortBuild"
      | "getLog"
      | "getBuildLog"
      | "getOrCreateStore"
      | "getStore"
      | "putRecord"
      | "getRecord"
  ]: Handler<Operations[K]>
} = {
  buildActor,
  getBuild,
  abortBuild,
  getLog,
  getBuildLog: getLog,
  getOrCreateStore,
  getStore,
  putRecord,
  getRecord
}
