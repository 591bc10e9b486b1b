/**
 * The `effect-apify` command tree. This module is what every start of the command line
 * loads, so it holds only the commands and their options: the handlers, the HTTP stack and
 * the emulator are imported on demand by the commands that use them, and `--help` loads
 * none of them.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Span from "@effect/cli/HelpDoc/Span"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as CliError from "./CliError.js"
import * as CommandTree from "./CommandTree.js"
import * as Completions from "./Completions.js"
import * as Help from "./Help.js"

/**
 * The longest `--timeout`, in seconds: 24 hours. (A larger number would overflow the timer and
 * mean no timeout at all.)
 *
 * @since 0.1.0
 */
export const maxTimeoutSeconds = 24 * 60 * 60

const invalid = (message: string) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(message)))

/**
 * The options every leaf command takes after its arguments.
 *
 * @since 0.1.0
 */
export const commonOptions = {
  token: Options.text("token").pipe(
    Options.withAlias("t"),
    Options.withDescription("API token; else APIFY_TOKEN, else the token in ~/.apify/auth.json"),
    Options.optional
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("API base URL; else APIFY_API_BASE_URL, else https://api.apify.com"),
    Options.optional
  ),
  json: Options.boolean("json").pipe(
    Options.withAlias("j"),
    Options.withDescription("print the record as JSON on stdout (an array for lists) and nothing else")
  ),
  timeout: Options.float("timeout").pipe(
    Options.withDescription("time limit of one attempt of a request, in seconds (default 30)"),
    Options.mapEffect((seconds) =>
      Number.isFinite(seconds) && seconds > 0 && seconds <= maxTimeoutSeconds
        ? Effect.succeed(seconds)
        : invalid(
          `--timeout must be a number of seconds above 0 and at most ${maxTimeoutSeconds} (24 h), got ${seconds}`
        )
    ),
    Options.optional
  ),
  maxRetries: Options.integer("max-retries").pipe(
    Options.withDescription(
      "retry a rate-limited, failed or unanswered request at most N times (default 6; 0 = never)"
    ),
    Options.mapEffect((count) =>
      count >= 0 ? Effect.succeed(count) : invalid(`--max-retries must be 0 or more, got ${count}`)
    ),
    Options.optional
  ),
  verbose: Options.boolean("verbose").pipe(
    Options.withDescription("on error, also print the request line and Apify's error type")
  )
}

/**
 * The parsed common options.
 *
 * @since 0.1.0
 */
export interface CommonFlags {
  readonly token: Option.Option<string>
  readonly baseUrl: Option.Option<string>
  readonly json: boolean
  readonly timeout: Option.Option<number>
  readonly maxRetries: Option.Option<number>
  readonly verbose: boolean
}

// A one-line summary, more paragraphs if any, then the examples.
const describe = (text: string | ReadonlyArray<string>, examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    ...(typeof text === "string" ? [text] : text).map((paragraph) => HelpDoc.p(paragraph)),
    HelpDoc.p("Examples:"),
    ...examples.map((example) => HelpDoc.p(Span.code(`  $ ${example}`)))
  ])

const actor = Args.text({ name: "actor" }).pipe(
  Args.withDescription("Actor ID or username~actor-name (username/actor-name works too)")
)
const version = Args.text({ name: "version" }).pipe(Args.withDescription("version number, MAJOR.MINOR (e.g. 0.1)"))
const envName = Args.text({ name: "name" }).pipe(Args.withDescription("environment variable name"))

const handlers = () => import("./Commands.js")

// ---------------------------------------------------------------------------
// actors
// ---------------------------------------------------------------------------

const actorsCreate = Command.make("create", {
  name: Args.text({ name: "name" }).pipe(Args.withDescription("the Actor's name: 3-63 lowercase letters, digits, -")),
  title: Options.text("title").pipe(Options.withDescription("display title"), Options.optional),
  description: Options.text("description").pipe(Options.withDescription("description"), Options.optional),
  isPublic: Options.boolean("public").pipe(Options.withDescription("make the Actor public")),
  ...commonOptions
}, (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.actorsCreate(args))).pipe(
  Command.withDescription(describe("Create an Actor.", [
    "effect-apify actors create my-actor --title \"My Actor\"",
    "effect-apify actors create my-actor --json"
  ]))
)

const actorsGet = Command.make(
  "get",
  { actor, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.actorsGet(args))
).pipe(
  Command.withDescription(describe("Show an Actor.", [
    "effect-apify actors get janedoe~my-actor",
    "effect-apify actors get janedoe/my-actor --json"
  ]))
)

const actorsDelete = Command.make(
  "delete",
  { actor, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.actorsDelete(args))
).pipe(
  Command.withDescription(describe("Delete an Actor with all its versions.", [
    "effect-apify actors delete janedoe~my-actor"
  ]))
)

const actorsList = Command.make("list", {
  my: Options.boolean("my").pipe(Options.withDescription("only the Actors you own (else also those you used)")),
  offset: Options.integer("offset").pipe(
    Options.withDescription("skip this many Actors (default 0)"),
    Options.mapEffect((n) => n >= 0 ? Effect.succeed(n) : invalid(`--offset must be 0 or more, got ${n}`)),
    Options.optional
  ),
  limit: Options.integer("limit").pipe(
    Options.withDescription("show at most this many, 1-1000 (default 100)"),
    Options.mapEffect((n) => n >= 1 && n <= 1000 ? Effect.succeed(n) : invalid(`--limit must be 1 to 1000, got ${n}`)),
    Options.optional
  ),
  desc: Options.boolean("desc").pipe(Options.withDescription("newest first")),
  ...commonOptions
}, (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.actorsList(args))).pipe(
  Command.withDescription(describe("List Actors, a page at a time.", [
    "effect-apify actors list --my",
    "effect-apify actors list --my --desc --limit 10 --offset 10",
    "effect-apify actors list --json"
  ]))
)

const actors = Command.make("actors").pipe(
  Command.withDescription(describe("List, create, show and delete Actors.", [
    "effect-apify actors list --my",
    "effect-apify actors create my-actor",
    "effect-apify actors get janedoe~my-actor --json"
  ])),
  Command.withSubcommands([actorsList, actorsCreate, actorsGet, actorsDelete])
)

// ---------------------------------------------------------------------------
// versions
// ---------------------------------------------------------------------------

const sourceOptions = {
  gitRepo: Options.text("git-repo").pipe(
    Options.withDescription("build from a Git repository URL (may end in #branch:subdirectory)"),
    Options.optional
  ),
  tarball: Options.text("tarball").pipe(Options.withDescription("build from a tarball or ZIP URL"), Options.optional),
  gist: Options.text("gist").pipe(Options.withDescription("build from a GitHub Gist URL"), Options.optional),
  sourceDir: Options.directory("source-dir").pipe(
    Options.withDescription("send the files of a local directory inline (the push rules apply)"),
    Options.optional
  ),
  buildTag: Options.text("build-tag").pipe(
    Options.withAlias("b"),
    Options.withDescription("tag the build, e.g. latest"),
    Options.optional
  ),
  env: Options.text("env").pipe(
    Options.withDescription("NAME=VALUE environment variable; repeat for more (replaces the version's whole list)"),
    Options.repeated
  ),
  secretEnv: Options.text("secret-env").pipe(
    Options.withDescription("NAME=VALUE secret environment variable (stored encrypted, never shown); repeatable"),
    Options.repeated
  ),
  applyEnvVarsToBuild: Options.boolean("apply-env-vars-to-build").pipe(
    Options.withDescription("make the environment variables available at build time too")
  ),
  noApplyEnvVarsToBuild: Options.boolean("no-apply-env-vars-to-build").pipe(
    Options.withDescription("do not make the environment variables available at build time")
  )
}

/**
 * The parsed source and settings options of `versions create` and `versions update`.
 *
 * @since 0.1.0
 */
export interface SourceFlags {
  readonly gitRepo: Option.Option<string>
  readonly tarball: Option.Option<string>
  readonly gist: Option.Option<string>
  readonly sourceDir: Option.Option<string>
  readonly buildTag: Option.Option<string>
  readonly env: ReadonlyArray<string>
  readonly secretEnv: ReadonlyArray<string>
  readonly applyEnvVarsToBuild: boolean
  readonly noApplyEnvVarsToBuild: boolean
}

const versionsList = Command.make(
  "list",
  { actor, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.versionsList(args))
).pipe(
  Command.withDescription(describe("List the versions of an Actor.", [
    "effect-apify versions list janedoe~my-actor",
    "effect-apify versions list janedoe~my-actor --json"
  ]))
)

const versionsGet = Command.make(
  "get",
  { actor, version, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.versionsGet(args))
).pipe(
  Command.withDescription(describe("Show one version: its source, build tag and environment variables.", [
    "effect-apify versions get janedoe~my-actor 0.1",
    "effect-apify versions get janedoe~my-actor 0.1 --json"
  ]))
)

const versionsCreate = Command.make(
  "create",
  { actor, version, ...sourceOptions, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.versionsCreate(args))
).pipe(
  Command.withDescription(describe(
    ["Create a version.", "It is built from exactly one source: --git-repo, --tarball, --gist or --source-dir."],
    [
      "effect-apify versions create janedoe~my-actor 0.1 --git-repo https://github.com/jane/actor#main:src",
      "effect-apify versions create janedoe~my-actor 0.2 --source-dir ./my-actor --build-tag beta",
      "effect-apify versions create janedoe~my-actor 0.3 --tarball https://example.com/a.zip --env LOG=debug"
    ]
  ))
)

const versionsUpdate = Command.make(
  "update",
  {
    actor,
    version,
    ...sourceOptions,
    usePost: Options.boolean("use-post").pipe(Options.withDescription("send POST instead of PUT (same effect)")),
    ...commonOptions
  },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.versionsUpdate(args))
).pipe(
  Command.withDescription(describe(
    ["Update a version.", "Only what is given changes; --env and --secret-env replace the whole list."],
    [
      "effect-apify versions update janedoe~my-actor 0.1 --git-repo https://github.com/jane/actor",
      "effect-apify versions update janedoe~my-actor 0.1 --build-tag latest --no-apply-env-vars-to-build"
    ]
  ))
)

const versionsDelete = Command.make(
  "delete",
  { actor, version, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.versionsDelete(args))
).pipe(
  Command.withDescription(describe("Delete a version (an Actor keeps at least one).", [
    "effect-apify versions delete janedoe~my-actor 0.1"
  ]))
)

const versionsPush = Command.make(
  "push",
  {
    actor,
    directory: Args.directory({ name: "dir" }).pipe(
      Args.withDescription("the Actor directory (default: the current directory)"),
      Args.optional
    ),
    versionNumber: Options.text("version-number").pipe(
      Options.withDescription("version to push to; else actor.json version, else 0.0"),
      Options.optional
    ),
    buildTag: Options.text("build-tag").pipe(
      Options.withAlias("b"),
      Options.withDescription("build tag; else actor.json buildTag, else latest"),
      Options.optional
    ),
    dryRun: Options.boolean("dry-run").pipe(
      Options.withAlias("n"),
      Options.withDescription("print what would be sent, secrets masked")
    ),
    allowMissingSecrets: Options.boolean("allow-missing-secrets").pipe(
      Options.withDescription("push even if a @secret from actor.json is not in ~/.apify/secrets.json")
    ),
    refuseOutsideLinks: Options.boolean("refuse-outside-links").pipe(
      Options.withDescription("fail (exit 2) on a symbolic link leading outside the directory instead of skipping it")
    ),
    ...commonOptions
  },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.versionsPush(args))
).pipe(
  Command.withDescription(describe(
    [
      "Create or update a version from a local directory, as `apify push` does.",
      ".gitignore and .actorignore apply, .actor/ is always sent, env vars come from .actor/actor.json."
    ],
    [
      "effect-apify versions push janedoe~my-actor ./my-actor",
      "effect-apify versions push janedoe~my-actor --version-number 0.2 --dry-run"
    ]
  ))
)

const versions = Command.make("versions").pipe(
  Command.withDescription(describe("List, show, create, update, delete and push Actor versions.", [
    "effect-apify versions list janedoe~my-actor",
    "effect-apify versions push janedoe~my-actor ./my-actor"
  ])),
  Command.withSubcommands([versionsList, versionsGet, versionsCreate, versionsUpdate, versionsDelete, versionsPush])
)

// ---------------------------------------------------------------------------
// env
// ---------------------------------------------------------------------------

const envList = Command.make(
  "list",
  { actor, version, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.envList(args))
).pipe(
  Command.withDescription(describe("List a version's environment variables (secret values are never shown).", [
    "effect-apify env list janedoe~my-actor 0.1"
  ]))
)

const envGet = Command.make(
  "get",
  { actor, version, name: envName, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.envGet(args))
).pipe(
  Command.withDescription(describe("Show one environment variable.", [
    "effect-apify env get janedoe~my-actor 0.1 LOG_LEVEL"
  ]))
)

const envSet = Command.make(
  "set",
  {
    actor,
    version,
    assignment: Args.text({ name: "NAME=VALUE" }).pipe(Args.withDescription("the variable and its value")),
    secret: Options.boolean("secret").pipe(Options.withDescription("store the value as a secret")),
    ...commonOptions
  },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.envSet(args))
).pipe(
  Command.withDescription(describe("Create or change an environment variable.", [
    "effect-apify env set janedoe~my-actor 0.1 LOG_LEVEL=debug",
    "effect-apify env set janedoe~my-actor 0.1 API_KEY=s3cr3t --secret"
  ]))
)

const envUnset = Command.make(
  "unset",
  { actor, version, name: envName, ...commonOptions },
  (args) => Effect.flatMap(Effect.promise(handlers), (h) => h.envUnset(args))
).pipe(
  Command.withDescription(describe("Delete an environment variable.", [
    "effect-apify env unset janedoe~my-actor 0.1 LOG_LEVEL"
  ]))
)

const env = Command.make("env").pipe(
  Command.withDescription(describe("List, show, set and unset a version's environment variables.", [
    "effect-apify env list janedoe~my-actor 0.1",
    "effect-apify env set janedoe~my-actor 0.1 API_KEY=s3cr3t --secret"
  ])),
  Command.withSubcommands([envList, envGet, envSet, envUnset])
)

// ---------------------------------------------------------------------------
// emulator
// ---------------------------------------------------------------------------

const emulator = Command.make("emulator", {
  port: Options.integer("port").pipe(
    Options.withAlias("p"),
    Options.withDescription("port to listen on (0 = a free one)"),
    Options.optional
  ),
  token: Options.text("token").pipe(
    Options.withAlias("t"),
    Options.withDescription("token of the emulator's user"),
    Options.optional
  )
}, (args) => Effect.flatMap(Effect.promise(() => import("./EmulatorCommand.js")), (m) => m.serve(args))).pipe(
  Command.withDescription(describe(
    [
      "Serve the Apify API emulator on 127.0.0.1 until interrupted.",
      "The first line printed is its base URL, then its token and user."
    ],
    [
      "effect-apify emulator --port 8080",
      "effect-apify versions list owner~my-actor --base-url http://127.0.0.1:8080 --token apify_api_owner_test_token"
    ]
  ))
)

// ---------------------------------------------------------------------------
// completions
// ---------------------------------------------------------------------------

const completions = Command.make("completions", {
  shell: Args.choice(Completions.shells.map((shell) => [shell, shell] as const), { name: "shell" }).pipe(
    Args.withDescription(`the shell: ${Completions.shells.join(", ")}`)
  )
}, ({ shell }) => Console.log(Completions.script(tree(), shell).trimEnd())).pipe(
  Command.withDescription(describe(
    [
      "Print the completion script for a shell.",
      "The examples load it into the running shell; to keep it, save it where the shell looks for " +
      "completions (docs/cli.md says where for each shell)."
    ],
    [
      "source <(effect-apify completions bash)",
      "source <(effect-apify completions zsh)",
      "effect-apify completions fish | source"
    ]
  ))
)

/**
 * The root command.
 *
 * @since 0.1.0
 */
export const command = Command.make("effect-apify").pipe(
  Command.withDescription(describe(
    "Manage Apify Actors, their versions and environment variables.",
    [
      "effect-apify versions list janedoe~my-actor",
      "effect-apify versions push janedoe~my-actor ./my-actor --dry-run",
      "effect-apify emulator --port 8080"
    ]
  )),
  Command.withSubcommands([actors, versions, env, emulator, completions])
)

/**
 * The root command as plain data (`CommandTree`).
 *
 * @since 0.1.0
 */
export function tree(): CommandTree.Node {
  return CommandTree.fromCommand(command)
}

/**
 * Runs the command line on `process.argv`-style arguments.
 *
 * @since 0.1.0
 */
const runCommand = Command.run(command, {
  name: "effect-apify",
  version: "0.1.0",
  executable: "effect-apify"
})

/**
 * The first option given an empty value (`--env ""` or `--base-url=`), which @effect/cli
 * would otherwise drop silently.
 *
 * @since 0.1.0
 */
export const emptyOptionValue = (args: ReadonlyArray<string>): string | undefined => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") return undefined
    if (/^--[a-z-]+=$/.test(arg)) return arg.slice(0, -1)
    if (/^--[a-z-]+$/.test(arg) && args[i + 1] === "") return arg
  }
  return undefined
}

/**
 * Runs the command line on `process.argv`-style arguments.
 *
 * @since 0.1.0
 */
export const run = (argv: ReadonlyArray<string>) => {
  const args = argv.slice(2)
  const root = tree()
  const shell = Completions.shells.find((name) => args[0] === "--completions" && args[1] === name)
  if (shell !== undefined && args.length === 2) return Console.log(Completions.script(root, shell).trimEnd())
  const request = Help.classify(root, args)
  switch (request._tag) {
    case "Help":
      return Console.log(Help.render(request.node, Help.terminalWidth()).trimEnd())
    case "Unknown":
      // Usage errors: the message, then the group's own help, on stderr; exit 2.
      return Console.error(`Error: ${request.message}\n\n${Help.render(request.node, Help.terminalWidth())}`).pipe(
        Effect.zipRight(Effect.fail(new CliError.Exit({ code: 2 })))
      )
  }
  const empty = emptyOptionValue(request.args)
  return empty === undefined
    ? runCommand([...argv.slice(0, 2), ...request.args])
    : Console.error(`${empty} was given an empty value`).pipe(
      Effect.zipRight(Effect.fail(ValidationError.invalidValue(HelpDoc.p(`${empty} was given an empty value`))))
    )
}
