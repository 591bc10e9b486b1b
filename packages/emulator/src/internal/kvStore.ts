/**
 * Key-value stores and their records as the emulator keeps them: one store per user and name,
 * records as bytes with their content type. Every write is a function from the old state to
 * the new one, run inside one `Ref.modify`. Stores are restricted, as Apify's are by default:
 * a record is read with its owner's token, or by anyone with the record's signature (made
 * with the store's URL signing key, which only the owner is given).
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Crypto from "node:crypto"
import type { User } from "../Model.js"
import * as ApiError from "./apiError.js"

/** @internal */
export interface StoredValue {
  readonly bytes: Uint8Array
  readonly contentType: string
  readonly modifiedAt: string
}

/** @internal */
export interface StoreRecord {
  readonly id: string
  readonly name: string
  readonly userId: string
  readonly username: string
  readonly createdAt: string
  readonly modifiedAt: string
  /** The URL signing key, given to the owner as `urlSigningSecretKey`. */
  readonly signingKey: string
  readonly records: HashMap.HashMap<string, StoredValue>
}

/** @internal */
export interface Stores {
  readonly byId: HashMap.HashMap<string, StoreRecord>
  /** `userId/name` -> store ID. */
  readonly byName: HashMap.HashMap<string, string>
}

/** @internal */
export const empty: Stores = { byId: HashMap.empty(), byName: HashMap.empty() }

const nameKey = (userId: string, name: string) => `${userId}/${name}`

/** @internal */
export const storeNotFound = ApiError.recordNotFound("Key-value store was not found")

/** @internal */
export const recordNotFound = ApiError.recordNotFound("Record was not found")

const notPermitted = ApiError.make("insufficient-permissions", "Insufficient permissions for the key-value store.")

const base62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

/**
 * A record's signature as Apify makes it (and `@apify/utilities`' `createHmacSignature`): the
 * HMAC-SHA256 of the key with the store's signing key, its first 30 hex digits in base 62.
 * The server side of the api package's `KeyValueStores.recordSignature`, written on its own so
 * that each checks the other.
 *
 * @internal
 */
export const signature = (signingKey: string, key: string): string => {
  let n = BigInt(`0x${Crypto.createHmac("sha256", signingKey).update(key).digest("hex").slice(0, 30)}`)
  let out = ""
  do {
    out = base62[Number(n % 62n)]! + out
    n /= 62n
  } while (n > 0n)
  return out
}

/**
 * A store by ID, or by `username~name` (`username/name`) when that user is the caller.
 *
 * @internal
 */
export const find = (stores: Stores, ref: string, user: User | undefined): Option.Option<StoreRecord> => {
  const normalized = ref.replace("/", "~")
  const tilde = normalized.indexOf("~")
  if (tilde === -1) return HashMap.get(stores.byId, normalized)
  if (user === undefined || normalized.slice(0, tilde) !== user.username) return Option.none()
  return Option.flatMap(
    HashMap.get(stores.byName, nameKey(user.id, normalized.slice(tilde + 1))),
    (id) => HashMap.get(stores.byId, id)
  )
}

/**
 * The user's store of that name, created (with `id`) when there is none: the store and
 * whether it was created.
 *
 * @internal
 */
export const getOrCreate = (
  stores: Stores,
  user: User,
  name: string,
  id: string,
  signingKey: string,
  now: string
): readonly [readonly [StoreRecord, boolean], Stores] => {
  const existing = Option.flatMap(
    HashMap.get(stores.byName, nameKey(user.id, name)),
    (i) => HashMap.get(stores.byId, i)
  )
  if (Option.isSome(existing)) return [[existing.value, false], stores]
  const store: StoreRecord = {
    id,
    name,
    userId: user.id,
    username: user.username,
    createdAt: now,
    modifiedAt: now,
    signingKey,
    records: HashMap.empty()
  }
  return [[store, true], {
    byId: HashMap.set(stores.byId, id, store),
    byName: HashMap.set(stores.byName, nameKey(user.id, name), id)
  }]
}

/**
 * A store as its owner reads it (by ID or by name): 404 for an unknown store, 403 for someone
 * else's.
 *
 * @internal
 */
export const ownStore = (stores: Stores, user: User, ref: string): Either.Either<StoreRecord, ApiError.ApiError> =>
  Option.match(find(stores, ref, user), {
    onNone: () => Either.left(storeNotFound),
    onSome: (store) => store.userId === user.id ? Either.right(store) : Either.left(notPermitted)
  })

/**
 * Stores a record in the user's store: 404 for an unknown store, 403 for someone else's.
 *
 * @internal
 */
export const putRecord = (
  stores: Stores,
  user: User,
  ref: string,
  key: string,
  value: StoredValue
): Either.Either<readonly [void, Stores], ApiError.ApiError> =>
  Either.map(ownStore(stores, user, ref), (store) =>
    [undefined, {
      ...stores,
      byId: HashMap.set(stores.byId, store.id, {
        ...store,
        modifiedAt: value.modifiedAt,
        records: HashMap.set(store.records, key, value)
      })
    }] as const)

/**
 * The store a record read names, if the reader may read it: its owner (by ID or by name), or
 * anyone whose `signature` is the record's. 404 for an unknown store; for a known one without
 * either, 401 with no token and 403 with someone else's.
 *
 * @internal
 */
export const readableStore = (
  stores: Stores,
  user: User | undefined,
  ref: string,
  key: string,
  signed: string | undefined
): Either.Either<StoreRecord, ApiError.ApiError> =>
  Option.match(find(stores, ref, user), {
    onNone: () => Either.left(storeNotFound),
    onSome: (store) =>
      store.userId === user?.id || (signed !== undefined && signed === signature(store.signingKey, key))
        ? Either.right(store)
        : Either.left(
          user === undefined
            ? ApiError.tokenMissing
            : notPermitted
        )
  })

/**
 * A record of a store (no access check: see `readableStore`).
 *
 * @internal
 */
export const recordOf = (store: StoreRecord, key: string): Either.Either<StoredValue, ApiError.ApiError> =>
  Option.match(HashMap.get(store.records, key), {
    onNone: () => Either.left(recordNotFound),
    onSome: Either.right
  })

/**
 * The record a URL of this emulator's API names (`.../v2/key-value-stores/<id>/records/<key>`),
 * if it is one and the record exists.
 *
 * @internal
 */
export const recordAt = (stores: Stores, url: string): Option.Option<StoredValue> => {
  const match = /\/v2\/key-value-stores\/([^/?#]+)\/records\/([^/?#]+)/.exec(url)
  if (match === null) return Option.none()
  try {
    const key = decodeURIComponent(match[2]!)
    return Option.flatMap(
      HashMap.get(stores.byId, decodeURIComponent(match[1]!)),
      (store) => Either.getRight(recordOf(store, key))
    )
  } catch {
    return Option.none()
  }
}

/**
 * Whether a URL names a record of this emulator's API (whether or not it exists).
 *
 * @internal
 */
export const isRecordUrl = (url: string): boolean => /\/v2\/key-value-stores\/[^/?#]+\/records\/[^/?#]+/.test(url)

/**
 * The JSON form of a store, as its owner sees it (with the URL signing key).
 *
 * @internal
 */
export const storeJson = (store: StoreRecord, origin: string) => ({
  id: store.id,
  name: store.name,
  userId: store.userId,
  username: store.username,
  createdAt: store.createdAt,
  modifiedAt: store.modifiedAt,
  accessedAt: store.modifiedAt,
  actId: null,
  actRunId: null,
  consoleUrl: `https://console.apify.com/storage/key-value-stores/${store.id}`,
  keysPublicUrl: `${origin}/v2/key-value-stores/${store.id}/keys`,
  recordsPublicUrl: `${origin}/v2/key-value-stores/${store.id}/records`,
  generalAccess: "RESTRICTED",
  urlSigningSecretKey: store.signingKey,
  stats: { readCount: 0, writeCount: HashMap.size(store.records), deleteCount: 0, listCount: 0 }
})
