/**
 * `effect-apify builds`: start a build of a version and wait for it, show a build, read its log.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { ExitCode } from "../ExitCodes.js"
import * as FlagRules from "../FlagRules.js"
import { actor, version } from "./Arguments.js"
import { describe, handlers, leaf } from "./Define.js"

const lazy = handlers("Builds")

const buildId = Args.text({ name: "buildId" }).pipe(Args.withDescription("build ID"))

/**
 * How a started build is followed: `--no-wait`, `--log`, `--abort-on-interrupt`.
 *
 * @since 0.1.0
 */
export const followOptions = {
  noWait: Options.boolean("no-wait").pipe(
    Options.withDescription("print the build as started and exit 0, without waiting for it")
  ),
  log: Options.boolean("log").pipe(
    Options.withDescription("stream the build's log to stderr (the default on a terminal)")
  ),
  abortOnInterrupt: Options.boolean("abort-on-interrupt").pipe(
    Options.withDescription("on Ctrl-C abort the build too (else only the waiting stops)")
  )
}

/**
 * The follow flags that clash with `--no-wait`.
 *
 * @since 0.1.0
 */
export const followRules = [
  FlagRules.excludes("noWait", "log", "--no-wait does not wait, so there is no log to show"),
  FlagRules.excludes("noWait", "abortOnInterrupt", "--no-wait does not wait, so there is no wait to interrupt")
] as const

const create = leaf(
  "create",
  {
    actor,
    version,
    tag: Options.text("tag").pipe(
      Options.withDescription("tag the build gets when it succeeds; else the version's build tag"),
      Options.optional
    ),
    ...followOptions
  },
  FlagRules.checked(followRules, lazy("buildsCreate")),
  describe(
    [
      "Build a version and wait for the build to end.",
      `The log streams to stderr on a terminal (or with --log); the exit code tells the build's status: 0 SUCCEEDED, ${ExitCode.buildFailed} FAILED, ${ExitCode.buildTimedOut} TIMED-OUT, ${ExitCode.buildAborted} ABORTED.`
    ],
    [
      "effect-apify builds create janedoe~my-actor 0.1",
      "effect-apify builds create janedoe~my-actor 0.1 --tag beta --log",
      "effect-apify builds create janedoe~my-actor 0.1 --no-wait --json"
    ]
  )
)

const get = leaf(
  "get",
  { buildId },
  lazy("buildsGet"),
  describe("Show a build: its number, status and times.", [
    "effect-apify builds get 3mAKq2W8vLdz1CjNA",
    "effect-apify builds get 3mAKq2W8vLdz1CjNA --json"
  ])
)

const log = leaf(
  "log",
  {
    buildId,
    follow: Options.boolean("follow").pipe(
      Options.withAlias("f"),
      Options.withDescription("keep reading until the build has ended")
    )
  },
  FlagRules.checked(
    [
      FlagRules.refuses(
        "json",
        "a log is text, printed as the API sends it; `builds get <buildId> --json` gives the build as JSON"
      )
    ],
    lazy("buildsLog")
  ),
  describe("Print a build's log.", [
    "effect-apify builds log 3mAKq2W8vLdz1CjNA",
    "effect-apify builds log 3mAKq2W8vLdz1CjNA --follow"
  ])
)

/**
 * `builds` and its subcommands.
 *
 * @since 0.1.0
 */
export const command = Command.make("builds").pipe(
  Command.withDescription(describe("Build Actor versions, show builds and read their logs.", [
    "effect-apify builds create janedoe~my-actor 0.1",
    "effect-apify builds log 3mAKq2W8vLdz1CjNA --follow"
  ])),
  Command.withSubcommands([create, get, log])
)
