/**
 * A push over the inline limit, as `apify push` does it: the selected files zipped
 * (`ZipSource`), the zip put in the key-value store `actor-<actorId>-source` as
 * `version-<version>.zip`, and the version created or updated as `TARBALL` with the record's
 * URL.
 *
 * @since 0.1.0
 */
import { Actors, ActorVersions, ApifyError, KeyValueStores } from "@effect-apify/api"
import { type ActorId, KeyValueStore, type Version, type VersionRequest } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as DirectoryWalk from "../DirectoryWalk.js"
import * as Format from "../Format.js"
import * as Progress from "../Progress.js"
import type * as PushPlan from "../PushPlan.js"
import * as ZipSource from "../ZipSource.js"
import { createOrUpdate } from "./CreateOrUpdate.js"

/**
 * The files of a push over the inline limit and their size on disk.
 *
 * @since 0.1.0
 */
export interface Large {
  readonly files: ReadonlyArray<DirectoryWalk.Found>
  readonly bytes: number
}

/**
 * The store and record a version's zip goes to.
 *
 * @since 0.1.0
 */
export const location = (actorId: string, versionNumber: string) => ({
  store: `actor-${actorId}-source`,
  key: `version-${versionNumber}.zip`
})

/**
 * What `--dry-run` says of a zip push.
 *
 * @since 0.1.0
 */
export const describeZip = (large: Large): string =>
  `a zip of ${Format.count(large.files.length, "file")} (${Format.bytes(large.bytes)}, ${
    Format.number(large.bytes)
  } bytes on disk)`

/**
 * What a zip push did: whether the version was updated (else created), the version, the zip's size.
 *
 * @since 0.1.0
 */
export interface Sent {
  readonly updated: boolean
  readonly version: Version.Version
  readonly zipBytes: number
}

/**
 * Zips, uploads and creates the version (`exists` false) or updates it (true, as read before);
 * gives whether it was updated, the version and the zip's size.
 *
 * @since 0.1.0
 */
export const send = (actor: ActorId.ActorId, plan: PushPlan.Plan, large: Large, exists: boolean) =>
  Effect.scoped(Effect.gen(function*() {
    const actors = yield* Actors.Actors
    const stores = yield* KeyValueStores.KeyValueStores
    const versions = yield* ActorVersions.ActorVersions
    const actorId = (yield* actors.get(actor)).id
    const where = location(actorId, plan.versionNumber)
    const count = Format.count(large.files.length, "file")
    const written = yield* Progress.withLine(
      `zipping ${count} (${Format.bytes(large.bytes)})`,
      ZipSource.write(large.files)
    )
    const store = yield* stores.getOrCreate(Schema.decodeSync(KeyValueStore.StoreName)(where.store))
    const key = Schema.decodeSync(KeyValueStore.RecordKey)(where.key)
    yield* Progress.withLine(
      `uploading a zip of ${count} (${Format.bytes(written.bytes)}) for version ${plan.versionNumber}`,
      stores.putRecord(store.id, key, {
        stream: ZipSource.stream(written),
        contentLength: written.bytes,
        contentType: "application/zip"
      })
    )
    const body = {
      versionNumber: plan.versionNumber,
      sourceType: "TARBALL",
      tarballUrl: stores.recordUrl(store, key),
      buildTag: plan.buildTag,
      ...(plan.envVars === undefined ? {} : { envVars: plan.envVars })
    } as VersionRequest.CreateVersion
    const [updated, version] = yield* createOrUpdate({
      exists,
      create: versions.create(actor, body),
      update: versions.update(actor, plan.versionNumber, body),
      alreadyExists: ApifyError.Types.versionAlreadyExists
    })
    const sent: Sent = { updated, version, zipBytes: written.bytes }
    return sent
  }))
