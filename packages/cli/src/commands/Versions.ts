/**
 * `effect-apify versions`: list, show, create, update, delete and push Actor versions.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FlagRules from "../FlagRules.js"
import { sourceOptions } from "../Flags.js"
import { actor, actorDirectory, version } from "./Arguments.js"
import { followOptions } from "./Builds.js"
import { describe, handlers, leaf } from "./Define.js"

const lazy = handlers("Versions")

const list = leaf(
  "list",
  { actor },
  lazy("versionsList"),
  describe("List the versions of an Actor.", [
    "effect-apify versions list janedoe~my-actor",
    "effect-apify versions list janedoe~my-actor --json"
  ])
)

const get = leaf(
  "get",
  { actor, version },
  lazy("versionsGet"),
  describe("Show one version: its source, build tag and environment variables.", [
    "effect-apify versions get janedoe~my-actor 0.1",
    "effect-apify versions get janedoe~my-actor 0.1 --json"
  ])
)

const create = leaf(
  "create",
  { actor, version, ...sourceOptions },
  lazy("versionsCreate"),
  describe(
    ["Create a version.", "It is built from exactly one source: --git-repo, --tarball, --gist or --source-dir."],
    [
      "effect-apify versions create janedoe~my-actor 0.1 --git-repo https://github.com/jane/actor#main:src",
      "effect-apify versions create janedoe~my-actor 0.2 --source-dir ./my-actor --build-tag beta",
      "effect-apify versions create janedoe~my-actor 0.3 --tarball https://example.com/a.zip --env LOG=debug"
    ]
  )
)

const update = leaf(
  "update",
  {
    actor,
    version,
    ...sourceOptions,
    usePost: Options.boolean("use-post").pipe(Options.withDescription("send POST instead of PUT (same effect)"))
  },
  lazy("versionsUpdate"),
  describe(
    ["Update a version.", "Only what is given changes; --env and --secret-env replace the whole list."],
    [
      "effect-apify versions update janedoe~my-actor 0.1 --git-repo https://github.com/jane/actor",
      "effect-apify versions update janedoe~my-actor 0.1 --build-tag latest --no-apply-env-vars-to-build"
    ]
  )
)

const remove = leaf(
  "delete",
  { actor, version },
  lazy("versionsDelete"),
  describe("Delete a version (an Actor keeps at least one).", ["effect-apify versions delete janedoe~my-actor 0.1"])
)

const push = leaf(
  "push",
  {
    actor,
    directory: actorDirectory,
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
    build: Options.boolean("build").pipe(
      Options.withDescription("then build the version and wait for it; the exit code tells the build's status")
    ),
    log: followOptions.log,
    abortOnInterrupt: followOptions.abortOnInterrupt,
    plan: Options.boolean("plan").pipe(
      Options.withDescription(
        "print what the push would change on the version (files, env vars, build tag) and send nothing"
      )
    ),
    force: Options.boolean("force").pipe(
      Options.withDescription("push even when nothing changed (else the upload is skipped)")
    )
  },
  FlagRules.checked(
    [
      FlagRules.excludes("plan", "build", "--plan sends nothing"),
      FlagRules.excludes("plan", "dryRun", "each shows a push without sending it; choose one"),
      FlagRules.excludes("dryRun", "build", "--dry-run sends nothing"),
      FlagRules.requires("log", "build"),
      FlagRules.requires("abortOnInterrupt", "build")
    ],
    handlers("Push")("versionsPush")
  ),
  describe(
    [
      "Create or update a version from a local directory, as `apify push` does.",
      ".gitignore and .actorignore apply, .actor/ is always sent, env vars come from .actor/actor.json.",
      "When the version already has exactly these files, env vars and build tag, nothing is sent (--force sends anyway)."
    ],
    [
      "effect-apify versions push janedoe~my-actor ./my-actor",
      "effect-apify versions push janedoe~my-actor --version-number 0.2 --dry-run",
      "effect-apify versions push janedoe~my-actor ./my-actor --build",
      "effect-apify versions push janedoe~my-actor ./my-actor --plan"
    ]
  )
)

const pull = leaf(
  "pull",
  {
    actor,
    version,
    // Not Args.directory: a file given there gets pull's own error (completed as a directory).
    directory: Args.path({ name: "dir" }).pipe(
      Args.withDescription("where to write the files (default: a new directory ACTOR-VERSION)"),
      Args.optional
    ),
    force: Options.boolean("force").pipe(
      Options.withAlias("f"),
      Options.withDescription("overwrite files that exist in the directory")
    )
  },
  handlers("Pull")("versionsPull"),
  describe(
    [
      "Write the files of a version into a directory, as `git clone` does.",
      "Nothing is written outside it and no file is overwritten without --force. A tarball version's zip is downloaded and unzipped; a Git or gist version is named by its URL."
    ],
    [
      "effect-apify versions pull janedoe~my-actor 0.1",
      "effect-apify versions pull janedoe~my-actor 0.1 . --force"
    ]
  )
)

const diff = leaf(
  "diff",
  {
    actor,
    version,
    directory: actorDirectory
  },
  handlers("Plan")("versionsDiff"),
  describe(
    [
      "List the files a push of a directory would add, remove and change on a version.",
      "The directory is read by the push rules; files are compared by content (SHA-256)."
    ],
    [
      "effect-apify versions diff janedoe~my-actor 0.1",
      "effect-apify versions diff janedoe~my-actor 0.1 ./my-actor --json"
    ]
  )
)

/**
 * `versions` and its subcommands.
 *
 * @since 0.1.0
 */
export const command = Command.make("versions").pipe(
  Command.withDescription(describe("List, show, create, update, delete, push, pull, diff versions.", [
    "effect-apify versions list janedoe~my-actor",
    "effect-apify versions push janedoe~my-actor ./my-actor"
  ])),
  Command.withSubcommands([list, get, create, update, remove, push, pull, diff])
)
