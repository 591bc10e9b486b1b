/**
 * Key-value stores and their records, as far as a deploy needs them: get or create a store by
 * name, read one (by ID or `username~store-name`) without creating it, put a record (its bytes streamed, not held whole), read a record as a stream (by store
 * and key, or by the URL a TARBALL version names), and the record's URL (signed when the store
 * is restricted). A record read follows the API's redirect to where the record is stored (at
 * most 5), sending the token to the API's origin only.
 *
 * @example
 * ```ts
 * import { KeyValueStores } from "@effect-apify/api"
 * import { KeyValueStore } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const stores = yield* KeyValueStores.KeyValueStores
 *   const store = yield* stores.getOrCreate(KeyValueStore.StoreName.make("actor-abc-source"))
 *   const key = KeyValueStore.RecordKey.make("version-0.1.zip")
 *   yield* stores.putRecord(store.id, key, { bytes: new Uint8Array([80, 75, 5, 6]), contentType: "application/zip" })
 *   return stores.recordUrl(store, key) // https://api.apify.com/v2/key-value-stores/<id>/records/version-0.1.zip
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { KeyValueStore } from "@effect-apify/domain"
import { Contract } from "@effect-apify/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import * as crypto from "node:crypto"
import * as ApifyClient from "./ApifyClient.js"
import * as ApifyError from "./ApifyError.js"
import * as Engine from "./internal/engine.js"
import type { Opened } from "./internal/opened.js"
import { segment } from "./internal/path.js"
import { querySearch } from "./internal/query.js"
import * as Resource from "./internal/resource.js"
import { span, stub, withPathChecks } from "./internal/service.js"

/**
 * The errors of `getOrCreate`.
 *
 * @since 0.1.0
 */
export type GetOrCreateError = ApifyError.ErrorOf<typeof Contract.getOrCreateStore>

/**
 * The errors of `get`: `NotFound` with type `record-not-found` when there is no such store.
 *
 * @since 0.1.0
 */
export type GetError = ApifyError.ErrorOf<typeof Contract.getStore>

/**
 * The errors of `putRecord`: `PayloadTooLarge` over the API's record limit,
 * `UnsupportedMediaType` for a content encoding it does not take, `NotFound` for an unknown store.
 *
 * @since 0.1.0
 */
export type PutRecordError = ApifyError.ErrorOf<typeof Contract.putRecord>

/**
 * The errors of `getRecord`: `NotFound` with type `record-not-found` for a missing store or record.
 *
 * @since 0.1.0
 */
export type GetRecordError = ApifyError.ErrorOf<typeof Contract.getRecord>

/**
 * The errors of `getRecordAt`: those of `getRecord`, and `TransportError` with reason
 * `InvalidUrl` for a URL that is not `http:` or `https:`.
 *
 * @since 0.1.0
 */
export type GetRecordAtError = GetRecordError | ApifyError.TransportError

/**
 * A record's value to store: bytes, or a stream of them with its length in bytes. A stream is
 * run once per attempt, so a retry (after a 5xx, a 429 or a lost connection) runs it again: give
 * one that can be run more than once, such as a file read by `FileSystem.stream`. The content
 * type defaults to `application/octet-stream`.
 *
 * @since 0.1.0
 */
export type RecordValue =
  | { readonly bytes: Uint8Array; readonly contentType?: string | undefined }
  | {
    readonly stream: Stream.Stream<Uint8Array, unknown>
    readonly contentLength: number
    readonly contentType?: string | undefined
  }

/**
 * A stored record being read: its content type and length as the API answered, and its bytes
 * as they arrive (read them within the scope).
 *
 * @since 0.1.0
 */
export interface StoredRecord {
  readonly contentType: string | undefined
  readonly contentLength: number | undefined
  readonly stream: Stream.Stream<Uint8Array, ApifyError.TransportError>
}

/**
 * The key-value stores service.
 *
 * @since 0.1.0
 */
export interface Service {
  /** The user's store of that name, created when there is none. */
  readonly getOrCreate: (
    name: KeyValueStore.StoreName
  ) => Effect.Effect<KeyValueStore.KeyValueStore, GetOrCreateError>
  /** A store by its ID or `username~store-name`; `NotFound` when there is none (nothing is created). */
  readonly get: (storeId: string) => Effect.Effect<KeyValueStore.KeyValueStore, GetError>
  /** Stores a record, replacing one with the same key. */
  readonly putRecord: (
    storeId: string,
    key: KeyValueStore.RecordKey,
    value: RecordValue
  ) => Effect.Effect<void, PutRecordError>
  /** A record's bytes, streamed; the request is open until the scope closes. */
  readonly getRecord: (
    storeId: string,
    key: KeyValueStore.RecordKey
  ) => Effect.Effect<StoredRecord, GetRecordError, Scope.Scope>
  /**
   * The bytes at a record's URL, as a TARBALL version's `tarballUrl` names it (signed or not),
   * or at any `http(s)` URL, streamed; the request is open until the scope closes. The token is
   * sent only when the URL is on the client's base URL origin, and never to another origin a
   * redirect leads to.
   */
  readonly getRecordAt: (url: string) => Effect.Effect<StoredRecord, GetRecordAtError, Scope.Scope>
  /**
   * The API URL of a record, `<baseUrl>/v2/key-value-stores/<id>/records/<key>`, with
   * `?signature=...` when the store came with its URL signing key (a restricted store).
   */
  readonly recordUrl: (store: KeyValueStore.KeyValueStore, key: KeyValueStore.RecordKey) => string
}

/**
 * The key-value stores service: build it with `layer` over an `ApifyClient`, or stub it with
 * `layerTest`.
 *
 * @since 0.1.0
 */
export class KeyValueStores extends Context.Tag("@effect-apify/api/KeyValueStores")<KeyValueStores, Service>() {}

const methods = ["getOrCreate", "get", "putRecord", "getRecord", "getRecordAt", "recordUrl"] as const

const base62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

/**
 * The signature Apify puts on a record URL of a restricted store: HMAC-SHA256 of the key with
 * the store's URL signing key, its first 30 hex digits written in base 62.
 *
 * @since 0.1.0
 */
export const recordSignature = (signingKey: Redacted.Redacted<string>, key: string): string => {
  const hex = crypto.createHmac("sha256", Redacted.value(signingKey)).update(key).digest("hex").slice(0, 30)
  let n = BigInt(`0x${hex}`)
  if (n === 0n) return base62[0]!
  let out = ""
  while (n > 0n) {
    out = base62[Number(n % 62n)]! + out
    n /= 62n
  }
  return out
}

const unsignedUrl = (baseUrl: string, storeId: string, key: string) =>
  `${baseUrl}/v2/key-value-stores/${segment(storeId)}/records/${segment(key)}`

/**
 * Builds the service over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Service, never, ApifyClient.ApifyClient> = Effect.gen(function*() {
  const client = yield* ApifyClient.ApifyClient
  const engine = yield* Engine.of(client)
  const getOrCreate = Resource.callWithQuery(engine, Contract.getOrCreateStore)
  const read = Resource.call(engine, Contract.getStore)
  const put = Resource.upload(engine, Contract.putRecord)
  const open = Resource.open(engine, Contract.getRecord)
  const openAt = Resource.openUrl(engine, Contract.getRecord)
  const attributes = (storeId: string, key: string) => ({ "apify.store_id": storeId, "apify.record_key": key })
  const stored = (opened: Opened): StoredRecord => ({
    contentType: opened.contentType,
    contentLength: opened.contentLength,
    stream: opened.stream
  })

  const service: Service = {
    getOrCreate: (name) =>
      Effect.flatMap(querySearch(engine, Contract.getOrCreateStore, [], { name }), (query) => getOrCreate(query)).pipe(
        Effect.tap((store) => Effect.annotateCurrentSpan("apify.store_id", store.id)),
        span(Contract.getOrCreateStore.name, { "apify.store_name": name })
      ),
    get: (storeId) =>
      read(storeId).pipe(
        Effect.tap((store) => Effect.annotateCurrentSpan("apify.store_id", store.id)),
        span(Contract.getStore.name, { "apify.store_id": storeId })
      ),
    putRecord: (storeId, key, value) =>
      put(
        [storeId, key],
        "bytes" in value
          ? { bytes: value.bytes, contentType: value.contentType ?? "application/octet-stream" }
          : {
            stream: value.stream,
            contentLength: value.contentLength,
            contentType: value.contentType ?? "application/octet-stream"
          }
      ).pipe(span(Contract.putRecord.name, attributes(storeId, key))),
    getRecord: (storeId, key) =>
      open("", storeId, key).pipe(Effect.map(stored), span(Contract.getRecord.name, attributes(storeId, key))),
    getRecordAt: (url) => {
      const parsed = URL.canParse(url) ? new URL(url) : undefined
      if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
        return Effect.fail(
          new ApifyError.TransportError({
            reason: "InvalidUrl",
            detail: "the record URL is not an http(s) URL",
            method: "GET",
            path: "",
            attempts: 0
          })
        )
      }
      // the query (a signature) stays out of the span
      return openAt(parsed).pipe(
        Effect.map(stored),
        span(`${Contract.getRecord.name}At`, { "url.full": `${parsed.origin}${parsed.pathname}` })
      )
    },
    recordUrl: (store, key) => {
      const url = unsignedUrl(client.baseUrl, store.id, key)
      const signingKey = store.urlSigningSecretKey
      return signingKey === undefined ? url : `${url}?signature=${recordSignature(signingKey, key)}`
    }
  }
  return KeyValueStores.of(withPathChecks(engine, service, {
    get: Contract.getStore,
    putRecord: Contract.putRecord,
    getRecord: Contract.getRecord
  }))
})

/**
 * The service as a layer over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<KeyValueStores, never, ApifyClient.ApifyClient> = Layer.effect(KeyValueStores, make)

/**
 * A stub for tests: implement only the methods your code calls. Calling any other method dies
 * with a message naming it; `recordUrl`, unless given, gives the unsigned URL on the production API.
 *
 * @example
 * ```ts
 * import { KeyValueStores } from "@effect-apify/api"
 * import * as Effect from "effect/Effect"
 *
 * const AcceptsUploads = KeyValueStores.layerTest({ putRecord: () => Effect.void })
 * ```
 *
 * @since 0.1.0
 */
export const layerTest = (implementation: Partial<Service>): Layer.Layer<KeyValueStores> =>
  Layer.succeed(
    KeyValueStores,
    KeyValueStores.of({
      ...stub<Service>("KeyValueStores", methods, implementation),
      recordUrl: implementation.recordUrl ?? ((store, key) => unsignedUrl(ApifyClient.defaultBaseUrl, store.id, key))
    })
  )
