/**
 * `effect-apify actors`: list, create, show and delete Actors.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Flags from "../Flags.js"
import { actor } from "./Arguments.js"
import { describe, handlers, leaf } from "./Define.js"

const lazy = handlers("Actors")

const create = leaf(
  "create",
  {
    name: Args.text({ name: "name" }).pipe(Args.withDescription("the Actor's name: 3-63 lowercase letters, digits, -")),
    title: Options.text("title").pipe(Options.withDescription("display title"), Options.optional),
    description: Options.text("description").pipe(Options.withDescription("description"), Options.optional),
    isPublic: Options.boolean("public").pipe(Options.withDescription("make the Actor public"))
  },
  lazy("actorsCreate"),
  describe("Create an Actor.", [
    "effect-apify actors create my-actor --title \"My Actor\"",
    "effect-apify actors create my-actor --json"
  ])
)

const get = leaf(
  "get",
  { actor },
  lazy("actorsGet"),
  describe("Show an Actor.", [
    "effect-apify actors get janedoe~my-actor",
    "effect-apify actors get janedoe/my-actor --json"
  ])
)

const remove = leaf(
  "delete",
  { actor },
  lazy("actorsDelete"),
  describe("Delete an Actor with all its versions.", [
    "effect-apify actors delete janedoe~my-actor"
  ])
)

const list = leaf(
  "list",
  {
    my: Options.boolean("my").pipe(Options.withDescription("only the Actors you own (else also those you used)")),
    offset: Flags.wholeNumber("offset", 0, Number.MAX_SAFE_INTEGER).pipe(
      Options.withDescription("skip this many Actors (default 0)"),
      Options.optional
    ),
    limit: Flags.wholeNumber("limit", 1, 1000).pipe(
      Options.withDescription("show at most this many, 1-1000 (default 100)"),
      Options.optional
    ),
    desc: Options.boolean("desc").pipe(Options.withDescription("newest first"))
  },
  lazy("actorsList"),
  describe("List Actors, a page at a time.", [
    "effect-apify actors list --my",
    "effect-apify actors list --my --desc --limit 10 --offset 10",
    "effect-apify actors list --json"
  ])
)

/**
 * `actors` and its subcommands.
 *
 * @since 0.1.0
 */
export const command = Command.make("actors").pipe(
  Command.withDescription(describe("List, create, show and delete Actors.", [
    "effect-apify actors list --my",
    "effect-apify actors create my-actor",
    "effect-apify actors get janedoe~my-actor --json"
  ])),
  Command.withSubcommands([list, create, get, remove])
)
