/**
 * The API contract, declared once: per operation its method, route (below the path prefix),
 * path parameters, request and answer schemas, success status and the error statuses it
 * declares (Apify's error `type`s are in `ErrorType`). The client's endpoints and error types,
 * the emulator's routes and allowed methods, and the CLI's error report are derived from it.
 *
 * Every operation may also answer 401 and 429 (`commonStatuses`) and any 5xx; a status an
 * operation does not declare is not part of its contract. The Actor operations are below
 * `/v2/acts` (or `/v2/actors`); builds, logs and key-value stores below `/v2` (`Operation.bases`).
 *
 * @example
 * ```ts
 * import { Contract } from "@effect-apify/domain"
 *
 * Contract.getVersion.method // "GET"
 * Contract.getVersion.path // "/:actorId/versions/:versionNumber"
 * Contract.getVersion.parameters // ["actorId", "versionNumber"]
 * Contract.getVersion.errors // [403, 404]
 * Contract.allowedMethods("/:actorId/versions") // ["GET", "POST"]
 * ```
 *
 * @since 0.1.0
 */
import * as Actor from "./Actor.js"
import * as ActorList from "./ActorList.js"
import * as BuildOperations from "./BuildOperations.js"
import * as Envelope from "./Envelope.js"
import * as EnvVar from "./EnvVar.js"
import * as Operation from "./Operation.js"
import * as Routes from "./Routes.js"
import * as StoreOperations from "./StoreOperations.js"
import * as Version from "./Version.js"
import * as VersionRequest from "./VersionRequest.js"

const actor = "/:actorId"
const versions = "/:actorId/versions"
const version = "/:actorId/versions/:versionNumber"
const envVars = "/:actorId/versions/:versionNumber/env-vars"
const envVar = "/:actorId/versions/:versionNumber/env-vars/:envVarName"

/**
 * `POST /v2/acts`: 201 `{data: Actor}`.
 * Sent again after a lost answer: the repeat meets `actor-name-not-unique`, recognised.
 *
 * @since 0.1.0
 */
export const createActor = Operation.make({
  name: "Actors.create",
  method: "POST",
  path: "",
  request: Actor.CreateActor,
  answer: Actor.Actor,
  success: 201,
  errors: [400, 403, 413],
  idempotent: true
})

/**
 * `GET /v2/acts?my&desc&offset&limit`: one page of Actors.
 *
 * @since 0.1.0
 */
export const listActors = Operation.make({
  name: "Actors.list",
  method: "GET",
  path: "",
  request: undefined,
  query: ActorList.ListQuery,
  answer: Envelope.ListPage(ActorList.ListItem),
  success: 200,
  errors: [403, 404]
})

/**
 * `GET /v2/acts/:actorId`.
 *
 * @since 0.1.0
 */
export const getActor = Operation.make({
  name: "Actors.get",
  method: "GET",
  path: actor,
  request: undefined,
  answer: Actor.Actor,
  success: 200,
  errors: [403, 404]
})

/**
 * `DELETE /v2/acts/:actorId`: 204.
 * Sent again after a lost answer: the repeat meets `record-not-found`, taken as done.
 *
 * @since 0.1.0
 */
export const deleteActor = Operation.make({
  name: "Actors.delete",
  method: "DELETE",
  path: actor,
  request: undefined,
  answer: undefined,
  success: 204,
  errors: [403, 404]
})

/**
 * `GET /v2/acts/:actorId/versions`: every version (not paginated).
 *
 * @since 0.1.0
 */
export const listVersions = Operation.make({
  name: "ActorVersions.list",
  method: "GET",
  path: versions,
  request: undefined,
  answer: Envelope.ListPage(Version.Version),
  success: 200,
  errors: [403, 404]
})

/**
 * `POST /v2/acts/:actorId/versions`: 201 `{data: Version}`.
 * Sent again after a lost answer: the repeat meets `version-already-exists`, recognised.
 *
 * @since 0.1.0
 */
export const createVersion = Operation.make({
  name: "ActorVersions.create",
  method: "POST",
  path: versions,
  request: VersionRequest.CreateVersion,
  answer: Version.Version,
  success: 201,
  errors: [400, 403, 404, 413],
  idempotent: true
})

/**
 * `GET /v2/acts/:actorId/versions/:versionNumber`.
 *
 * @since 0.1.0
 */
export const getVersion = Operation.make({
  name: "ActorVersions.get",
  method: "GET",
  path: version,
  request: undefined,
  answer: Version.Version,
  success: 200,
  errors: [403, 404]
})

/**
 * `PUT /v2/acts/:actorId/versions/:versionNumber`.
 *
 * @since 0.1.0
 */
export const updateVersion = Operation.make({
  name: "ActorVersions.update",
  method: "PUT",
  path: version,
  request: VersionRequest.UpdateVersion,
  answer: Version.Version,
  success: 200,
  errors: [400, 403, 404, 413]
})

/**
 * `POST /v2/acts/:actorId/versions/:versionNumber`, the API's alias of `PUT` (a gateway may
 * refuse it: 405).
 * An update: sending it twice does what sending it once does.
 *
 * @since 0.1.0
 */
export const updateVersionPost = Operation.make({
  name: "ActorVersions.update",
  method: "POST",
  path: version,
  request: VersionRequest.UpdateVersion,
  answer: Version.Version,
  success: 200,
  errors: [400, 403, 404, 405, 413],
  aliasOf: "updateVersion",
  idempotent: true
})

/**
 * `DELETE /v2/acts/:actorId/versions/:versionNumber`: 204; 403 `too-few-versions` for the last.
 * Sent again after a lost answer: the repeat meets `record-not-found`, taken as done.
 *
 * @since 0.1.0
 */
export const deleteVersion = Operation.make({
  name: "ActorVersions.delete",
  method: "DELETE",
  path: version,
  request: undefined,
  answer: undefined,
  success: 204,
  errors: [403, 404]
})

/**
 * `GET .../versions/:versionNumber/env-vars`.
 *
 * @since 0.1.0
 */
export const listEnvVars = Operation.make({
  name: "ActorEnvVars.list",
  method: "GET",
  path: envVars,
  request: undefined,
  answer: Envelope.ListPage(EnvVar.EnvVar),
  success: 200,
  errors: [403, 404]
})

/**
 * `POST .../env-vars`: 201 `{data: EnvVar}`. An env var body cannot reach the size limit: no 413.
 * Sent again after a lost answer: the repeat meets `env-var-already-exists`, recognised.
 *
 * @since 0.1.0
 */
export const createEnvVar = Operation.make({
  name: "ActorEnvVars.create",
  method: "POST",
  path: envVars,
  request: EnvVar.EnvVarRequest,
  answer: EnvVar.EnvVar,
  success: 201,
  errors: [400, 403, 404],
  idempotent: true
})

/**
 * `GET .../env-vars/:envVarName`.
 *
 * @since 0.1.0
 */
export const getEnvVar = Operation.make({
  name: "ActorEnvVars.get",
  method: "GET",
  path: envVar,
  request: undefined,
  answer: EnvVar.EnvVar,
  success: 200,
  errors: [403, 404]
})

/**
 * `PUT .../env-vars/:envVarName`; 403 `cannot-rename-env-var` when the name changes.
 *
 * @since 0.1.0
 */
export const updateEnvVar = Operation.make({
  name: "ActorEnvVars.update",
  method: "PUT",
  path: envVar,
  request: EnvVar.EnvVarRequest,
  answer: EnvVar.EnvVar,
  success: 200,
  errors: [400, 403, 404]
})

/**
 * `POST .../env-vars/:envVarName`, the alias of `PUT`.
 * An update: sending it twice does what sending it once does.
 *
 * @since 0.1.0
 */
export const updateEnvVarPost = Operation.make({
  name: "ActorEnvVars.update",
  method: "POST",
  path: envVar,
  request: EnvVar.EnvVarRequest,
  answer: EnvVar.EnvVar,
  success: 200,
  errors: [400, 403, 404, 405],
  aliasOf: "updateEnvVar",
  idempotent: true
})

/**
 * `DELETE .../env-vars/:envVarName`: 204.
 * Sent again after a lost answer: the repeat meets `record-not-found`, taken as done.
 *
 * @since 0.1.0
 */
export const deleteEnvVar = Operation.make({
  name: "ActorEnvVars.delete",
  method: "DELETE",
  path: envVar,
  request: undefined,
  answer: undefined,
  success: 204,
  errors: [403, 404]
})

/**
 * `POST /v2/acts/:actorId/builds`: builds a version (declared in `BuildOperations`).
 *
 * @since 0.1.0
 */
export const buildActor = BuildOperations.buildActor

/**
 * `GET /v2/actor-builds/:buildId` (declared in `BuildOperations`).
 *
 * @since 0.1.0
 */
export const getBuild = BuildOperations.getBuild

/**
 * `POST /v2/actor-builds/:buildId/abort` (declared in `BuildOperations`).
 *
 * @since 0.1.0
 */
export const abortBuild = BuildOperations.abortBuild

/**
 * `GET /v2/logs/:buildId`: a build's log as text (declared in `BuildOperations`).
 *
 * @since 0.1.0
 */
export const getLog = BuildOperations.getLog

/**
 * `GET /v2/actor-builds/:buildId/log`, the alias of `getLog` (declared in `BuildOperations`).
 *
 * @since 0.1.0
 */
export const getBuildLog = BuildOperations.getBuildLog

/**
 * `POST /v2/key-value-stores?name=...` (declared in `StoreOperations`).
 *
 * @since 0.1.0
 */
export const getOrCreateStore = StoreOperations.getOrCreateStore

/**
 * `GET /v2/key-value-stores/:storeId`: a store, never created (declared in `StoreOperations`).
 *
 * @since 0.1.0
 */
export const getStore = StoreOperations.getStore

/**
 * `PUT /v2/key-value-stores/:storeId/records/:recordKey`: bytes (declared in `StoreOperations`).
 *
 * @since 0.1.0
 */
export const putRecord = StoreOperations.putRecord

/**
 * `GET /v2/key-value-stores/:storeId/records/:recordKey`: bytes (declared in `StoreOperations`).
 *
 * @since 0.1.0
 */
export const getRecord = StoreOperations.getRecord

/**
 * Every operation, by its name in this module.
 *
 * @since 0.1.0
 */
export const operations = {
  createActor,
  listActors,
  getActor,
  deleteActor,
  listVersions,
  createVersion,
  getVersion,
  updateVersion,
  updateVersionPost,
  deleteVersion,
  listEnvVars,
  createEnvVar,
  getEnvVar,
  updateEnvVar,
  updateEnvVarPost,
  deleteEnvVar,
  buildActor,
  getBuild,
  abortBuild,
  getLog,
  getBuildLog,
  getOrCreateStore,
  getStore,
  putRecord,
  getRecord
} as const

const derived = Routes.make(Object.values(operations))

/**
 * The routes (below their prefix), each once, in declaration order.
 *
 * @since 0.1.0
 */
export const routes: ReadonlyArray<string> = derived.routes

/**
 * The methods a route allows, in declaration order (`OPTIONS` aside).
 *
 * @since 0.1.0
 */
export const allowedMethods: (path: string) => ReadonlyArray<Operation.Method> = derived.allowedMethods

/**
 * A request path matched against the contract: the prefix, the route and its parameters
 * (URL-decoded).
 *
 * @since 0.1.0
 */
export type Match = Routes.Match

/**
 * Matches a path (without query) against the routes under each prefix of their base;
 * `undefined` when none matches or a segment is empty or not valid percent-encoding.
 *
 * @since 0.1.0
 */
export const match: (pathname: string) => Match | undefined = derived.match
