/**
 * The environment variables of an Actor version: list, create, get, update and delete.
 *
 * The API never returns a secret's value: a secret env var decodes with `value` absent.
 *
 * @example
 * ```ts
 * import { ActorEnvVars } from "@effect-apify/api"
 * import { ActorId, EnvVar, VersionNumber } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const envVars = yield* ActorEnvVars.ActorEnvVars
 *   const name = EnvVar.EnvVarName.make("API_KEY")
 *   yield* envVars.create(ActorId.make("me~my-actor"), VersionNumber.VersionNumber.make("0.1"), EnvVar.secret(name, "s3cr3t"))
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { ActorId, EnvVar, VersionNumber } from "@effect-apify/domain"
import { Contract } from "@effect-apify/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as ApifyClient from "./ApifyClient.js"
import * as ApifyError from "./ApifyError.js"
import * as Engine from "./internal/engine.js"
import * as Resource from "./internal/resource.js"
import { findFrom, span, stringField, stub, withPathChecks } from "./internal/service.js"

/**
 * The errors of `list`.
 *
 * @since 0.1.0
 */
export type ListError = ApifyError.ErrorOf<typeof Contract.listEnvVars>

/**
 * `InvalidRequest` is raised before sending (name over 100 characters or with `=`, value over
 * 50,000 characters); `Forbidden` covers `env-var-already-exists`. An env var body cannot reach
 * the API's size limit, so there is no `PayloadTooLarge`.
 *
 * @since 0.1.0
 */
export type CreateError = ApifyError.ErrorOf<typeof Contract.createEnvVar>

/**
 * The errors of `get`: `NotFound` when the record does not exist.
 *
 * @since 0.1.0
 */
export type GetError = ApifyError.ErrorOf<typeof Contract.getEnvVar>

/**
 * A missing variable is `None`; `NotFound` remains only for an unknown route.
 *
 * @since 0.1.0
 */
export type FindError = GetError

/**
 * `Forbidden` covers `cannot-rename-env-var`; `MethodNotAllowed` is possible with the `POST`
 * alias.
 *
 * @since 0.1.0
 */
export type UpdateError =
  | ApifyError.ErrorOf<typeof Contract.updateEnvVar>
  | ApifyError.ErrorOf<typeof Contract.updateEnvVarPost>

/**
 * The errors of `delete`.
 *
 * @since 0.1.0
 */
export type DeleteError = ApifyError.ErrorOf<typeof Contract.deleteEnvVar>

/**
 * Options of `update`.
 *
 * @since 0.1.0
 */
export interface UpdateOptions {
  /** Send `POST` (the API's alias of `PUT`) instead of `PUT`. */
  readonly usePost?: boolean | undefined
}

/**
 * The env vars service.
 *
 * @since 0.1.0
 */
export interface Service {
  readonly list: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber
  ) => Effect.Effect<ReadonlyArray<EnvVar.EnvVar>, ListError>
  /**
   * Creates a variable. When an earlier attempt's answer was lost and the retry meets
   * `env-var-already-exists`, the stored variable is read and returned if it matches what was
   * sent (for a secret only the name and `isSecret` can be compared).
   */
  readonly create: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    body: EnvVar.EnvVarRequest
  ) => Effect.Effect<EnvVar.EnvVar, CreateError>
  readonly get: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    name: EnvVar.EnvVarName
  ) => Effect.Effect<EnvVar.EnvVar, GetError>
  readonly find: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    name: EnvVar.EnvVarName
  ) => Effect.Effect<Option.Option<EnvVar.EnvVar>, FindError>
  /** Replaces the value (and `isSecret`); the name in `body` must be the same (no renames). */
  readonly update: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    name: EnvVar.EnvVarName,
    body: EnvVar.EnvVarRequest,
    options?: UpdateOptions
  ) => Effect.Effect<EnvVar.EnvVar, UpdateError>
  readonly delete: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    name: EnvVar.EnvVarName
  ) => Effect.Effect<void, DeleteError>
}

/**
 * The env vars service: build it with `layer` over an `ApifyClient`, or stub it with `layerTest`.
 *
 * @since 0.1.0
 */
export class ActorEnvVars extends Context.Tag("@effect-apify/api/ActorEnvVars")<ActorEnvVars, Service>() {}

const methods = ["list", "create", "get", "find", "update", "delete"] as const

/**
 * Builds the service over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Service, never, ApifyClient.ApifyClient> = Effect.gen(function*() {
  const engine = yield* Effect.flatMap(ApifyClient.ApifyClient, Engine.of)
  const list = Resource.call(engine, Contract.listEnvVars)
  const get = Resource.call(engine, Contract.getEnvVar)
  const remove = Resource.call(engine, Contract.deleteEnvVar)
  const update = Resource.update(engine, Contract.updateEnvVar, Contract.updateEnvVarPost)
  const readBack = Resource.callWithRaw(engine, Contract.getEnvVar)
  const create = Resource.create(
    engine,
    Contract.createEnvVar,
    ApifyError.isEnvVarAlreadyExists,
    (sent, _, [actorId, versionNumber]) => readBack(actorId!, versionNumber!, stringField(sent, "name") ?? "")
  )
  const attributes = (actorId: string, versionNumber: string, name?: string) =>
    name === undefined
      ? { "apify.actor_id": actorId, "apify.version_number": versionNumber }
      : { "apify.actor_id": actorId, "apify.version_number": versionNumber, "apify.env_var_name": name }

  const getEnvVar: Service["get"] = (actorId, versionNumber, name) =>
    get(actorId, versionNumber, name).pipe(span(Contract.getEnvVar.name, attributes(actorId, versionNumber, name)))

  const service: Service = {
    list: (actorId, versionNumber) =>
      list(actorId, versionNumber).pipe(
        Effect.map((page) => page.items),
        span(Contract.listEnvVars.name, attributes(actorId, versionNumber))
      ),
    create: (actorId, versionNumber, body) =>
      create([actorId, versionNumber], body).pipe(
        span(Contract.createEnvVar.name, attributes(actorId, versionNumber, stringField(body, "name")))
      ),
    get: getEnvVar,
    find: findFrom(getEnvVar),
    update: (actorId, versionNumber, name, body, options) =>
      update([actorId, versionNumber, name], body, options?.usePost).pipe(
        span(Contract.updateEnvVar.name, attributes(actorId, versionNumber, name))
      ),
    delete: (actorId, versionNumber, name) =>
      remove(actorId, versionNumber, name).pipe(
        span(Contract.deleteEnvVar.name, attributes(actorId, versionNumber, name))
      )
  }
  return ActorEnvVars.of(withPathChecks(engine, service, {
    list: Contract.listEnvVars,
    create: Contract.createEnvVar,
    get: Contract.getEnvVar,
    find: Contract.getEnvVar,
    update: Contract.updateEnvVar,
    delete: Contract.deleteEnvVar
  }))
})

/**
 * The service as a layer over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<ActorEnvVars, never, ApifyClient.ApifyClient> = Layer.effect(ActorEnvVars, make)

/**
 * A stub for tests: implement only the methods your code calls. Calling any other method dies
 * with a message naming it. When `get` is given and `find` is not, `find` is derived from it.
 *
 * @example
 * ```ts
 * import { ActorEnvVars } from "@effect-apify/api"
 * import { EnvVar } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
 *
 * const OneVar = ActorEnvVars.layerTest({
 *   list: () => Effect.succeed([EnvVar.EnvVar.make({ name: "LOG_LEVEL", value: "debug", isSecret: false })])
 * })
 * ```
 *
 * @since 0.1.0
 */
export const layerTest = (implementation: Partial<Service>): Layer.Layer<ActorEnvVars> =>
  Layer.succeed(ActorEnvVars, ActorEnvVars.of(stub<Service>("ActorEnvVars", methods, implementation)))
