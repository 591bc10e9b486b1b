/**
 * The operations on key-value stores and their records, declared as `Contract` declares the
 * others (which re-exports them): get or create a store by name, get a store without creating
 * it, put and get a record.
 *
 * @since 0.1.0
 */
import * as KeyValueStore from "./KeyValueStore.js"
import * as Operation from "./Operation.js"

/**
 * `POST /v2/key-value-stores?name=...`: the user's store of that name, created when there is
 * none (201; 200 when it existed).
 * Sending it twice gives the same store.
 *
 * @since 0.1.0
 */
export const getOrCreateStore = Operation.make({
  name: "KeyValueStores.getOrCreate",
  method: "POST",
  base: "api",
  path: "/key-value-stores",
  request: undefined,
  query: KeyValueStore.GetOrCreateQuery,
  answer: KeyValueStore.KeyValueStore,
  success: 201,
  errors: [400, 403],
  idempotent: true
})

/**
 * `GET /v2/key-value-stores/:storeId`: a store by its ID or `username~store-name`; 404 when
 * there is none (nothing is created).
 *
 * @since 0.1.0
 */
export const getStore = Operation.make({
  name: "KeyValueStores.get",
  method: "GET",
  base: "api",
  path: "/key-value-stores/:storeId",
  request: undefined,
  answer: KeyValueStore.KeyValueStore,
  success: 200,
  errors: [400, 403, 404]
})

const record = "/key-value-stores/:storeId/records/:recordKey"

/**
 * `PUT /v2/key-value-stores/:storeId/records/:recordKey`: the body is the value, stored with
 * its `Content-Type` (and `Content-Encoding`); 201.
 *
 * @since 0.1.0
 */
export const putRecord = Operation.make({
  name: "KeyValueStores.putRecord",
  method: "PUT",
  base: "api",
  path: record,
  request: undefined,
  requestFormat: "bytes",
  answer: undefined,
  success: 201,
  errors: [400, 403, 404, 413, 415]
})

/**
 * `GET /v2/key-value-stores/:storeId/records/:recordKey`: the value's bytes with the content
 * type it was stored with.
 *
 * @since 0.1.0
 */
export const getRecord = Operation.make({
  name: "KeyValueStores.getRecord",
  method: "GET",
  base: "api",
  path: record,
  request: undefined,
  answer: undefined,
  answerFormat: "bytes",
  success: 200,
  errors: [403, 404]
})
