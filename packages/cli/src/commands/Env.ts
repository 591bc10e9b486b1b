/**
 * `effect-apify env`: list, show, set and unset a version's environment variables.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { actor, envName, version } from "./Arguments.js"
import { describe, handlers, leaf } from "./Define.js"

const lazy = handlers("Env")

const list = leaf(
  "list",
  { actor, version },
  lazy("envList"),
  describe("List a version's environment variables (secret values are never shown).", [
    "effect-apify env list janedoe~my-actor 0.1"
  ])
)

const get = leaf(
  "get",
  { actor, version, name: envName },
  lazy("envGet"),
  describe("Show one environment variable.", [
    "effect-apify env get janedoe~my-actor 0.1 LOG_LEVEL"
  ])
)

const set = leaf(
  "set",
  {
    actor,
    version,
    assignment: Args.text({ name: "NAME=VALUE" }).pipe(Args.withDescription("the variable and its value")),
    secret: Options.boolean("secret").pipe(Options.withDescription("store the value as a secret"))
  },
  lazy("envSet"),
  describe("Create or change an environment variable.", [
    "effect-apify env set janedoe~my-actor 0.1 LOG_LEVEL=debug",
    "effect-apify env set janedoe~my-actor 0.1 API_KEY=s3cr3t --secret"
  ])
)

const unset = leaf(
  "unset",
  { actor, version, name: envName },
  lazy("envUnset"),
  describe("Delete an environment variable.", ["effect-apify env unset janedoe~my-actor 0.1 LOG_LEVEL"])
)

/**
 * `env` and its subcommands.
 *
 * @since 0.1.0
 */
export const command = Command.make("env").pipe(
  Command.withDescription(describe("List, show, set and unset a version's environment variables.", [
    "effect-apify env list janedoe~my-actor 0.1",
    "effect-apify env set janedoe~my-actor 0.1 API_KEY=s3cr3t --secret"
  ])),
  Command.withSubcommands([list, get, set, unset])
)
