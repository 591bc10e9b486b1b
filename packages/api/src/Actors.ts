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
import type { ActorId } from "@effect-apify/domain"
import { Actor, Envelope } from "@effect-apify/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as ApifyClient from "./ApifyClient.js"
import * as ApifyError from "./ApifyError.js"
import {
  actorSegment,
  endpointWithRaw,
  findFrom,
  recoverCreate,
  span,
  stringField,
  stub,
  withPathChecks
} from "./internal/service.js"

/**
 * `InvalidRequest` and `PayloadTooLarge` are raised before sending; `BadRequest` covers
 * `actor-name-not-unique`.
 *
 * @since 0.1.0
 */
export type CreateError =
  | ApifyError.Common
  | ApifyError.InvalidRequest
  | ApifyError.BadRequest
  | ApifyError.Forbidden
  | ApifyError.PayloadTooLarge

/**
 * The errors of `get`: `NotFound` when the record does not exist.
 *
 * @since 0.1.0
 */
export type GetError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * A missing Actor is `None`; `NotFound` remains only for an unknown route.
 *
 * @since 0.1.0
 */
export type FindError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * The errors of `delete`.
 *
 * @since 0.1.0
 */
export type DeleteError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * The errors of `list`.
 *
 * @since 0.1.0
 */
export type ListError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * One Actor in a list (`GET /v2/acts`): the short form the API lists, fields it may leave out
 * optional.
 *
 * @since 0.1.0
 */
export class ListItem extends Schema.Class<ListItem>("ListItem")({
  id: Schema.String,
  name: Schema.String,
  username: Schema.optionalWith(Schema.String, { nullable: true, exact: true }),
  title: Schema.optionalWith(Schema.String, { nullable: true, exact: true }),
  createdAt: Schema.optionalWith(Schema.String, { nullable: true, exact: true }),
  modifiedAt: Schema.optionalWith(Schema.String, { nullable: true, exact: true })
}) {}

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

const ActorShort = Schema.Struct({ id: Schema.String, name: Schema.String })

/**
 * Builds the service over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Service, never, ApifyClient.ApifyClient> = Effect.gen(function*() {
  const client = yield* ApifyClient.ApifyClient
  const encodeCreate = Schema.encodeEither(Actor.CreateActor, { errors: "all" })

  const createEndpoint = ApifyClient.endpoint({ method: "POST", expected: [400, 403, 413], data: Actor.Actor })
  const getEndpoint = ApifyClient.endpoint({ method: "GET", expected: [403, 404], data: Actor.Actor })
  const getRawEndpoint = endpointWithRaw({ method: "GET", expected: [403, 404], data: Actor.Actor })
  const listMineEndpoint = ApifyClient.endpoint({
    method: "GET",
    expected: [403, 404],
    data: Envelope.ListPage(ActorShort)
  })
  const deleteEndpoint = ApifyClient.endpointNoContent({ method: "DELETE", expected: [403, 404] })
  const listEndpoint = ApifyClient.endpoint({ method: "GET", expected: [403, 404], data: Envelope.ListPage(ListItem) })
  const listQuery = (options: ListOptions): string => {
    const params = new URLSearchParams()
    if (options.my === true) params.set("my", "true")
    if (options.desc === true) params.set("desc", "true")
    if (options.offset !== undefined) params.set("offset", String(options.offset))
    if (options.limit !== undefined) params.set("limit", String(options.limit))
    const query = params.toString()
    return query === "" ? "" : `?${query}`
  }

  const actorPath = (actorId: string) => `/${actorSegment(actorId)}`

  const get: Service["get"] = (actorId) =>
    client.execute(getEndpoint, actorPath(actorId)).pipe(span("Actors.get", { "apify.actor_id": actorId }))

  // The Actor's `username~name` is unknown before it is created, so the recovery looks it up
  // in the user's own Actors (newest first).
  const readOwnByName = (name: string, conflict: ApifyError.BadRequest) =>
    client.execute(listMineEndpoint, "?my=true&desc=true&limit=1000").pipe(
      Effect.flatMap((page) => {
        const found = page.items.find((item) => item.name === name)
        return found === undefined
          ? Effect.fail<ApifyError.BadRequest | GetError>(conflict)
          : client.execute(getRawEndpoint, actorPath(found.id))
      })
    )

  // Typed apart from the service object: there, the expected return type would steer the
  // inference of `recoverCreate`.
  const create = (body: Actor.CreateActor) =>
    client.prepareBody(encodeCreate, body, "POST", "").pipe(
      Effect.flatMap((prepared) =>
        client.execute(createEndpoint, "", prepared).pipe(
          Effect.catchIf(
            (error): error is ApifyError.BadRequest => ApifyError.isActorNameNotUnique(error) && error.attempts > 1,
            (conflict) =>
              recoverCreate(conflict, prepared.json, readOwnByName(stringField(prepared.json, "name") ?? "", conflict))
          )
        )
      ),
      span("Actors.create", { "apify.actor_name": stringField(body, "name") })
    )

  const service: Service = {
    create,
    get,
    find: findFrom(get),
    delete: (actorId) =>
      client.execute(deleteEndpoint, actorPath(actorId)).pipe(
        span("Actors.delete", { "apify.actor_id": actorId })
      ),
    list: (options = {}) =>
      client.execute(listEndpoint, listQuery(options)).pipe(
        Effect.map((page) => ({ total: page.total, offset: options.offset ?? 0, items: page.items })),
        span("Actors.list", {})
      )
  }
  return Actors.of(withPathChecks(client, (actorId) => actorId === undefined ? "" : `/${actorId}`, service, {
    create: ["POST", []],
    get: ["GET", ["actorId"]],
    find: ["GET", ["actorId"]],
    delete: ["DELETE", ["actorId"]],
    list: ["GET", []]
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
