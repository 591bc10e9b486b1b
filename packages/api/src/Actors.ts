/**
 * Actors: create, get and delete.
 *
 * @example
 * ```ts
 * import { Actors } from "@effect-apify/api"
 * import { ActorName } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const actors = yield* Actors.Actors
 *   const actor = yield* actors.create({ name: ActorName.ActorName.make("my-actor"), title: "My Actor" })
 *   return actor.fullName // "username~my-actor"
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { Actor, ActorId } from "@effect-apify/domain"
import { ActorList, Contract } from "@effect-apify/domain"
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
 * `InvalidRequest` and `PayloadTooLarge` are raised before sending; `BadRequest` covers
 * `actor-name-not-unique`.
 *
 * @since 0.1.0
 */
export type CreateError = ApifyError.ErrorOf<typeof Contract.createActor>

/**
 * The errors of `get`: `NotFound` when the record does not exist.
 *
 * @since 0.1.0
 */
export type GetError = ApifyError.ErrorOf<typeof Contract.getActor>

/**
 * A missing Actor is `None`; `NotFound` remains only for an unknown route.
 *
 * @since 0.1.0
 */
export type FindError = GetError

/**
 * The errors of `delete`.
 *
 * @since 0.1.0
 */
export type DeleteError = ApifyError.ErrorOf<typeof Contract.deleteActor>

/**
 * The errors of `list`.
 *
 * @since 0.1.0
 */
export type ListError = ApifyError.ErrorOf<typeof Contract.listActors>

/**
 * One Actor in a list (`GET /v2/acts`): the short form the API lists, fields it may leave out
 * optional. The domain's `ActorList.ListItem`.
 *
 * @since 0.1.0
 */
export const ListItem = ActorList.ListItem

/**
 * The decoded type of `ListItem`.
 *
 * @since 0.1.0
 */
export type ListItem = ActorList.ListItem

/**
 * Which page of the list to read. `my`: only the user's own Actors (else also those they
 * used); `desc`: newest first; `offset` and `limit` as the API takes them (limit at most 1000).
 *
 * @since 0.1.0
 */
export interface ListOptions {
  readonly my?: boolean | undefined
  readonly offset?: number | undefined
  readonly limit?: number | undefined
  readonly desc?: boolean | undefined
}

/**
 * One page of Actors: `total` is the number of all of them.
 *
 * @since 0.1.0
 */
export interface ListPage {
  readonly total: number | undefined
  readonly offset: number
  readonly items: ReadonlyArray<ListItem>
}

/**
 * The Actors service.
 *
 * @since 0.1.0
 */
export interface Service {
  /**
   * Creates an Actor. When an earlier attempt's answer was lost and the retry meets
   * `actor-name-not-unique`, the user's Actor with that name is read and returned if it holds
   * what was sent; otherwise the conflict is returned.
   */
  readonly create: (body: Actor.CreateActor) => Effect.Effect<Actor.Actor, CreateError>
  /** One Actor, by ID or `username~name` (`username/name` is accepted and normalised). */
  readonly get: (actorId: ActorId.ActorId) => Effect.Effect<Actor.Actor, GetError>
  /** One Actor, or `None` when it does not exist. */
  readonly find: (actorId: ActorId.ActorId) => Effect.Effect<Option.Option<Actor.Actor>, FindError>
  readonly delete: (actorId: ActorId.ActorId) => Effect.Effect<void, DeleteError>
  /** One page of the Actors the user owns (`my`) or has used. */
  readonly list: (options?: ListOptions) => Effect.Effect<ListPage, ListError>
}

/**
 * The Actors service: build it with `layer` over an `ApifyClient`, or stub it with `layerTest`.
 *
 * @since 0.1.0
 */
export class Actors extends Context.Tag("@effect-apify/api/Actors")<Actors, Service>() {}

const methods = ["create", "get", "find", "delete", "list"] as const

const listQuery = (options: ListOptions): string => {
  const params = new URLSearchParams()
  if (options.my === true) params.set("my", "true")
  if (options.desc === true) params.set("desc", "true")
  if (options.offset !== undefined) params.set("offset", String(options.offset))
  if (options.limit !== undefined) params.set("limit", String(options.limit))
  const query = params.toString()
  return query === "" ? "" : `?${query}`
}

/**
 * Builds the service over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Service, never, ApifyClient.ApifyClient> = Effect.gen(function*() {
  const engine = yield* Effect.flatMap(ApifyClient.ApifyClient, Engine.of)
  const get = Resource.call(engine, Contract.getActor)
  const remove = Resource.call(engine, Contract.deleteActor)
  const list = Resource.callWithQuery(engine, Contract.listActors)
  const readBack = Resource.callWithRaw(engine, Contract.getActor)
  // The Actor's `username~name` is unknown before it is created, so the recovery looks it up
  // in the user's own Actors (newest first).
  const create = Resource.create(
    engine,
    Contract.createActor,
    ApifyError.isActorNameNotUnique,
    (sent, conflict) =>
      Effect.flatMap(
        list(listQuery({ my: true, desc: true, limit: 1000 })),
        (page): Effect.Effect<readonly [unknown, Actor.Actor], ApifyError.BadRequest | GetError> => {
          const name = stringField(sent, "name") ?? ""
          const found = page.items.find((item) => item.name === name)
          return found === undefined ? Effect.fail(conflict) : readBack(found.id)
        }
      )
  )

  const getActor: Service["get"] = (actorId) =>
    get(actorId).pipe(span(Contract.getActor.name, { "apify.actor_id": actorId }))

  const service: Service = {
    create: (body) =>
      create([], body).pipe(span(Contract.createActor.name, { "apify.actor_name": stringField(body, "name") })),
    get: getActor,
    find: findFrom(getActor),
    delete: (actorId) => remove(actorId).pipe(span(Contract.deleteActor.name, { "apify.actor_id": actorId })),
    list: (options = {}) =>
      list(listQuery(options)).pipe(
        Effect.map((page) => ({ total: page.total, offset: options.offset ?? 0, items: page.items })),
        span(Contract.listActors.name, {})
      )
  }
  return Actors.of(withPathChecks(engine, service, {
    create: Contract.createActor,
    get: Contract.getActor,
    find: Contract.getActor,
    delete: Contract.deleteActor,
    list: Contract.listActors
  }))
})

/**
 * The service as a layer over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<Actors, never, ApifyClient.ApifyClient> = Layer.effect(Actors, make)

/**
 * A stub for tests: implement only the methods your code calls. Calling any other method dies
 * with a message naming it. When `get` is given and `find` is not, `find` is derived from it.
 *
 * @example
 * ```ts
 * import { Actors } from "@effect-apify/api"
 * import * as Effect from "effect/Effect"
 *
 * const NoDeletes = Actors.layerTest({ delete: () => Effect.void })
 * ```
 *
 * @since 0.1.0
 */
export const layerTest = (implementation: Partial<Service>): Layer.Layer<Actors> =>
  Layer.succeed(Actors, Actors.of(stub<Service>("Actors", methods, implementation)))
