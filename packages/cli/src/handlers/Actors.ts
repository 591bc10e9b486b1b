/**
 * The handlers of `actors create`, `list`, `get` and `delete`.
 *
 * @since 0.1.0
 */
import { Actors } from "@effect-apify/api"
import { ActorName } from "@effect-apify/domain"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Flags from "../Flags.js"
import * as Output from "../Output.js"
import { run } from "../Runner.js"
import { decodeArg, parseActor } from "./Arguments.js"

/**
 * `actors create`.
 *
 * @since 0.1.0
 */
export const actorsCreate = (
  args: Flags.CommonFlags & {
    readonly name: string
    readonly title: Option.Option<string>
    readonly description: Option.Option<string>
    readonly isPublic: boolean
  }
) =>
  run(
    args,
    `create Actor ${args.name}`,
    Effect.gen(function*() {
      const name = yield* decodeArg(
        ActorName.ActorName,
        args.name,
        "Actor name",
        "use 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit"
      )
      const actors = yield* Actors.Actors
      const actor = yield* actors.create({
        name,
        ...Option.match(args.title, { onNone: () => ({}), onSome: (title) => ({ title }) }),
        ...Option.match(args.description, { onNone: () => ({}), onSome: (description) => ({ description }) }),
        ...(args.isPublic ? { isPublic: true } : {})
      })
      yield* Output.emit(
        args.json,
        Output.actorRecord(actor),
        () => `Created Actor ${actor.fullName} (${actor.id}).\n\n${Output.actorDetails(actor)}`
      )
    })
  )

/**
 * `actors list`: one page; the human view says how to get the next one.
 *
 * @since 0.1.0
 */
export const actorsList = (
  args: Flags.CommonFlags & {
    readonly my: boolean
    readonly offset: Option.Option<number>
    readonly limit: Option.Option<number>
    readonly desc: boolean
  }
) =>
  run(
    args,
    "list Actors",
    Effect.gen(function*() {
      const actors = yield* Actors.Actors
      const page = yield* actors.list({
        my: args.my,
        desc: args.desc,
        offset: Option.getOrUndefined(args.offset),
        limit: Option.getOrElse(args.limit, () => 100)
      })
      yield* Output.emitList(
        args.json,
        page.items.map(Output.actorListRecord),
        () => Output.actorsTable(page, Option.getOrUndefined(args.limit))
      )
    })
  )

/**
 * `actors get`.
 *
 * @since 0.1.0
 */
export const actorsGet = (args: Flags.CommonFlags & { readonly actor: string }) =>
  run(
    args,
    `get Actor ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const actors = yield* Actors.Actors
      const actor = yield* actors.get(actorId)
      yield* Output.emit(args.json, Output.actorRecord(actor), () => Output.actorDetails(actor))
    })
  )

/**
 * `actors delete`.
 *
 * @since 0.1.0
 */
export const actorsDelete = (args: Flags.CommonFlags & { readonly actor: string }) =>
  run(
    args,
    `delete Actor ${args.actor}`,
    Effect.gen(function*() {
      const actorId = yield* parseActor(args.actor)
      const actors = yield* Actors.Actors
      yield* actors.delete(actorId)
      yield* Output.say(args.json, `Deleted Actor ${actorId}.`)
    })
  )
