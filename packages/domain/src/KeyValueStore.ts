/**
 * Key-value stores as the API returns them, their names and record keys, and the query that
 * gets or creates one by name.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

const nullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true, exact: true })

/**
 * How a store is named in a path: its ID or `username~store-name`; not empty.
 *
 * @since 0.1.0
 */
export const StoreId = Schema.String.pipe(
  Schema.filter((s) => s.length > 0 || "store ID must not be empty"),
  Schema.brand("StoreId"),
  Schema.annotations({ identifier: "StoreId", title: "store ID" })
)

/**
 * The decoded type of `StoreId`.
 *
 * @since 0.1.0
 */
export type StoreId = typeof StoreId.Type

/**
 * A store name as Apify allows it: 1 to 63 letters, digits and hyphens, a hyphen neither first
 * nor last (e.g. `actor-abc-source`).
 *
 * @since 0.1.0
 */
export const StoreName = Schema.String.pipe(
  Schema.filter((s) =>
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(s) ||
    `store name must be 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen, got ${
      JSON.stringify(s)
    }`
  ),
  Schema.brand("StoreName"),
  Schema.annotations({ identifier: "StoreName", title: "store name" })
)

/**
 * The decoded type of `StoreName`.
 *
 * @since 0.1.0
 */
export type StoreName = typeof StoreName.Type

/**
 * The largest record key, in characters.
 *
 * @since 0.1.0
 */
export const maxRecordKeyLength = 256

/**
 * A record key as Apify allows it: 1 to 256 characters of `a-z A-Z 0-9 ! - _ . ' ( )`, and not
 * `.` or `..` (a URL path cannot address those).
 *
 * @since 0.1.0
 */
export const RecordKey = Schema.String.pipe(
  Schema.filter((s) => {
    if (s.length === 0 || s.length > maxRecordKeyLength) {
      return `record key must be 1 to ${maxRecordKeyLength} characters, got ${s.length}`
    }
    if (!/^[A-Za-z0-9!\-_.'()]+$/.test(s)) {
      return `record key may only hold letters, digits and ! - _ . ' ( ), got ${JSON.stringify(s)}`
    }
    if (s === "." || s === "..") return `record key must not be "." or ".."`
    return true
  }),
  Schema.brand("RecordKey"),
  Schema.annotations({ identifier: "RecordKey", title: "record key" })
)

/**
 * The decoded type of `RecordKey`.
 *
 * @since 0.1.0
 */
export type RecordKey = typeof RecordKey.Type

/**
 * A key-value store. `urlSigningSecretKey`, which the API gives to those who may write to the
 * store, is kept `Redacted`: it signs record URLs of a restricted store.
 *
 * @since 0.1.0
 */
export class KeyValueStore extends Schema.Class<KeyValueStore>("KeyValueStore")({
  id: Schema.String,
  name: nullable(Schema.String),
  userId: nullable(Schema.String),
  username: nullable(Schema.String),
  createdAt: nullable(Schema.String),
  modifiedAt: nullable(Schema.String),
  accessedAt: nullable(Schema.String),
  actId: nullable(Schema.String),
  actRunId: nullable(Schema.String),
  consoleUrl: nullable(Schema.String),
  keysPublicUrl: nullable(Schema.String),
  recordsPublicUrl: nullable(Schema.String),
  generalAccess: nullable(Schema.String),
  urlSigningSecretKey: nullable(Schema.Redacted(Schema.String))
}) {}

/**
 * The query of "get or create a store" (`POST /v2/key-value-stores?name=...`).
 *
 * @since 0.1.0
 */
export const GetOrCreateQuery = Schema.Struct({
  name: StoreName
})

/**
 * The decoded type of `GetOrCreateQuery`.
 *
 * @since 0.1.0
 */
export type GetOrCreateQuery = typeof GetOrCreateQuery.Type
