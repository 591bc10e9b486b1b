/**
 * Reliability, part 2 (library): 10,000 generated invalid inputs.
 *
 * Valid bodies drawn from the domain's Schema arbitraries (seeded) are mutated one rule at a
 * time: bad version numbers, source types and URLs, env var names, values, counts and
 * duplicates, bad source files, inline sources over 3 MiB, wrong JSON types, bodies that are
 * not objects, bad Actor names, and payloads over the API's 9,437,184-byte limit. Each must
 * end in `InvalidRequest` naming the field, or `PayloadTooLarge` with both sizes, before a
 * byte is sent: the emulator's request counter stays at zero. No defect, no unhandled
 * rejection.
 */
import type { ApifyError } from "@effect-apify/api"
import { ActorEnvVars, Actors, ActorVersions, Apify, Retry } from "@effect-apify/api"
import {
  Actor,
  ActorId,
  ActorName,
  EnvVar,
  Limits,
  Redaction,
  SourceFile,
  VersionNumber,
  VersionRequest
} from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { gc, memorySampler, mib, seed, writeFigures } from "./harness.js"

const LIBRARY_CASES = 10_000
const OVERSIZED_CASES = 24

const unhandled: Array<unknown> = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled)
  process.on("uncaughtException", onUnhandled)
})
afterAll(() => {
  process.off("unhandledRejection", onUnhandled)
  process.off("uncaughtException", onUnhandled)
})

type Services = Actors.Actors | ActorVersions.ActorVersions | ActorEnvVars.ActorEnvVars

interface Case {
  readonly rule: string
  /** A word the error must name (the field), or `undefined` for PayloadTooLarge. */
  readonly field: string | undefined
  /** Secret values the request carries: the error shows the field as the scrubbing rule leaves it. */
  readonly secrets?: ReadonlyArray<string>
  readonly run: Effect.Effect<unknown, ApifyError.ApifyError, Services>
}

const fc = FastCheck
const actor = ActorId.make("owner~bad-input")
const v00 = VersionNumber.VersionNumber.make("0.0")
const envName = EnvVar.EnvVarName.make("LOG_LEVEL")

const invalidVersionNumber = fc.oneof(
  fc.constantFrom("1.0.0", "01.0", "0.01", "100.0", "1", "", " 1.0", "1.0 ", "a.b", "-1.0", "1.-1", "1,0", "v1.0"),
  fc.string({ maxLength: 10 }).filter((s) => !VersionNumber.pattern.test(s))
)
const invalidEnvName = fc.oneof(
  fc.constant(""),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => `${s}=`),
  fc.integer({ min: Limits.maxEnvVarNameLength + 1, max: 300 }).map((n) => "N".repeat(n))
)
const invalidActorName = fc.oneof(
  fc.constantFrom("ab", "-abc", "abc-", "My-Actor", "has space", "a".repeat(64), "ünïcode", "x_y_z", ""),
  fc.string({ maxLength: 70 }).filter((s) => !ActorName.pattern.test(s))
)
const emptyUrl = fc.constantFrom("", " ", "\t", "   \n")
/** A value of the wrong JSON type for a string, boolean or array field (never a boolean or an empty array). */
const wrongType = fc.oneof(
  fc.integer(),
  fc.constant(null),
  fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
  fc.object({ maxDepth: 1 })
)
const notAnObject = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.string(),
  fc.array(fc.nat()),
  fc.boolean()
)

const withoutKey = (o: object, key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))

const createVersion = Arbitrary.make(VersionRequest.CreateVersion)
const updateVersion = Arbitrary.make(VersionRequest.UpdateVersion)
const envVarRequest = Arbitrary.make(EnvVar.EnvVarRequest)
const createActor = Arbitrary.make(Actor.CreateActor).map((body) => withoutKey(body, "versions"))

const sourceFieldOf: Record<string, string> = {
  SOURCE_FILES: "sourceFiles",
  GIT_REPO: "gitRepoUrl",
  TARBALL: "tarballUrl",
  GITHUB_GIST: "gitHubGistUrl"
}

/** Casts a deliberately broken body to the type the method takes: the test is what it does at run time. */
const loose = <A>(value: unknown): A => value as A

const versions = (f: (s: ActorVersions.Service) => Effect.Effect<unknown, ApifyError.ApifyError>) =>
  Effect.flatMap(ActorVersions.ActorVersions, f)
const envVars = (f: (s: ActorEnvVars.Service) => Effect.Effect<unknown, ApifyError.ApifyError>) =>
  Effect.flatMap(ActorEnvVars.ActorEnvVars, f)
const actors = (f: (s: Actors.Service) => Effect.Effect<unknown, ApifyError.ApifyError>) =>
  Effect.flatMap(Actors.Actors, f)

const createVersionCase = (rule: string, field: string, body: unknown): Case => ({
  rule,
  field,
  run: versions((s) => s.create(actor, loose(body)))
})
const updateVersionCase = (rule: string, field: string, body: unknown): Case => ({
  rule,
  field,
  run: versions((s) => s.update(actor, v00, loose(body)))
})

const bigString = "x".repeat(Limits.maxInlineSourceBytes + 1)

/** One generator per rule; each draws a valid body and breaks that one rule. */
const rules: ReadonlyArray<FastCheck.Arbitrary<Case>> = [
  fc.tuple(createVersion, invalidVersionNumber).map(([body, bad]) =>
    createVersionCase("create: bad versionNumber", "versionNumber", { ...body, versionNumber: bad })
  ),
  fc.tuple(createVersion, fc.oneof(fc.constantFrom("SOURCE_CODE", "git_repo", "", "ZIP"), fc.string())).map((
    [body, bad]
  ) => createVersionCase("create: unknown sourceType", "sourceType", { ...body, sourceType: bad })),
  createVersion.map((body) =>
    createVersionCase(
      "create: source field missing",
      sourceFieldOf[body.sourceType]!,
      withoutKey(body, sourceFieldOf[body.sourceType]!)
    )
  ),
  fc.tuple(createVersion.filter((b) => b.sourceType !== "SOURCE_FILES"), emptyUrl).map(([body, url]) =>
    createVersionCase("create: empty URL", sourceFieldOf[body.sourceType]!, {
      ...body,
      [sourceFieldOf[body.sourceType]!]: url
    })
  ),
  fc.tuple(createVersion, invalidEnvName).map(([body, bad]) =>
    createVersionCase("create: bad env var name", "envVars", {
      ...body,
      envVars: [...(body.envVars ?? []), { name: bad, value: "v" }]
    })
  ),
  fc.tuple(createVersion, fc.integer({ min: Limits.maxEnvVarValueLength + 1, max: 60_000 })).map(([body, n]) =>
    createVersionCase("create: env var value too long", "envVars", {
      ...body,
      envVars: [{ name: "LONG_VALUE", value: "v".repeat(n) }]
    })
  ),
  fc.tuple(createVersion, fc.integer({ min: Limits.maxEnvVarsPerVersion + 1, max: 130 })).map(([body, n]) =>
    createVersionCase("create: too many env vars", "envVars", {
      ...body,
      envVars: Array.from({ length: n }, (_, i) => ({ name: `VAR_${i}`, value: String(i) }))
    })
  ),
  createVersion.map((body) =>
    createVersionCase("create: duplicate env var names", "envVars", {
      ...body,
      envVars: [{ name: "SAME", value: "1" }, { name: "SAME", value: "2" }]
    })
  ),
  fc.tuple(
    createVersion,
    fc.constantFrom<ReadonlyArray<unknown>>(
      [SourceFile.text("a.js", "1"), SourceFile.text("a.js", "2")],
      [new SourceFile.SourceCodeFile({ name: "", format: "TEXT", content: "x" }, true)],
      [new SourceFile.SourceCodeFile({ name: "a.js", format: loose("UTF8"), content: "x" }, true)],
      [new SourceFile.SourceCodeFile({ name: "a.js", format: "TEXT", content: loose(42) }, true)],
      [{ name: "plain-object.js", format: "TEXT", content: "not a SourceCodeFile instance" }],
      [SourceFile.text("big.txt", bigString)],
      [
        SourceFile.text("half1.txt", bigString.slice(0, 2_000_000)),
        SourceFile.text("half2.txt", bigString.slice(0, 1_200_000))
      ]
    )
  ).map(([body, files]) =>
    createVersionCase("create: bad source files", "sourceFiles", {
      ...withoutKey(body, sourceFieldOf[body.sourceType]!),
      sourceType: "SOURCE_FILES",
      sourceFiles: files
    })
  ),
  fc.tuple(createVersion, fc.constantFrom("buildTag", "applyEnvVarsToBuild", "envVars"), wrongType).map((
    [body, key, bad]
  ) => createVersionCase(`create: wrong type for ${key}`, key, { ...body, [key]: bad })),
  notAnObject.map((bad) => createVersionCase("create: body not an object", "", bad)),
  fc.tuple(updateVersion, invalidVersionNumber).map(([body, bad]) =>
    updateVersionCase("update: bad versionNumber", "versionNumber", { ...body, versionNumber: bad })
  ),
  fc.tuple(updateVersion, fc.constantFrom("gitRepoUrl", "tarballUrl", "gitHubGistUrl"), emptyUrl).map((
    [body, key, url]
  ) => updateVersionCase("update: empty URL", key, { ...body, [key]: url })),
  fc.tuple(updateVersion, invalidEnvName).map(([body, bad]) =>
    updateVersionCase("update: bad env var name", "envVars", { ...body, envVars: [{ name: bad, value: "v" }] })
  ),
  fc.tuple(updateVersion, fc.constantFrom("buildTag", "applyEnvVarsToBuild", "sourceType", "envVars"), wrongType)
    .filter(([, key, bad]) => !(key === "buildTag" && bad === null))
    .map(([body, key, bad]) => updateVersionCase(`update: wrong type for ${key}`, key, { ...body, [key]: bad })),
  fc.tuple(envVarRequest, invalidEnvName).map(([body, bad]): Case => ({
    rule: "env create: bad name",
    field: "name",
    secrets: body.isSecret === true ? [body.value] : [],
    run: envVars((s) => s.create(actor, v00, loose({ ...body, name: bad })))
  })),
  fc.tuple(envVarRequest, fc.integer({ min: Limits.maxEnvVarValueLength + 1, max: 80_000 })).map((
    [body, n]
  ): Case => ({
    rule: "env update: value too long",
    field: "value",
    run: envVars((s) => s.update(actor, v00, envName, loose({ ...body, value: "v".repeat(n) })))
  })),
  fc.tuple(envVarRequest, fc.constantFrom("value", "isSecret"), wrongType).map(([body, key, bad]): Case => ({
    rule: `env create: wrong type for ${key}`,
    field: key,
    run: envVars((s) => s.create(actor, v00, loose({ ...body, [key]: bad })))
  })),
  envVarRequest.map((body): Case => ({
    rule: "env create: value missing",
    field: "value",
    run: envVars((s) => s.create(actor, v00, loose(withoutKey(body, "value"))))
  })),
  fc.tuple(createActor, invalidActorName).map(([body, bad]): Case => ({
    rule: "actor create: bad name",
    field: "name",
    run: actors((s) => s.create(loose({ ...body, name: bad })))
  })),
  fc.tuple(createActor, createVersion, invalidVersionNumber).map(([body, version, bad]): Case => ({
    rule: "actor create: bad version inside",
    field: "versionNumber",
    run: actors((s) => s.create(loose({ ...body, versions: [{ ...version, versionNumber: bad }] })))
  })),
  fc.tuple(createActor, fc.constantFrom("title", "isPublic", "categories"), wrongType).map((
    [body, key, bad]
  ): Case => ({
    rule: `actor create: wrong type for ${key}`,
    field: key,
    run: actors((s) => s.create(loose({ ...body, [key]: bad })))
  }))
]

/** Path arguments given without their brand (plain JavaScript, casts, data from outside). */
const badActorId = fc.oneof(
  fc.constantFrom("", "a/b/c", "a~b~c", "has space~x", "~x", "x~", "short", "/"),
  fc.string({ maxLength: 30 }).filter((s) => Either.isLeft(Schema.decodeUnknownEither(ActorId.ActorId)(s))),
  wrongType
)
const pathRules: ReadonlyArray<FastCheck.Arbitrary<Case>> = [
  fc.tuple(fc.oneof(invalidVersionNumber, wrongType), fc.integer({ min: 0, max: 5 })).map(([bad, i]): Case => {
    const n = loose<VersionNumber.VersionNumber>(bad)
    const run = [
      versions((s) => s.get(actor, n)),
      versions((s) => s.find(actor, n)),
      versions((s) => s.delete(actor, n)),
      versions((s) => s.update(actor, n, { buildTag: "x" })),
      envVars((s) => s.list(actor, n)),
      envVars((s) => s.create(actor, n, EnvVar.plain(envName, "v")))
    ][i]!
    // a value that is not even a string gets "Expected string, actual ...", without the name
    return { rule: "path: bad version number", field: typeof bad === "string" ? "versionNumber" : "", run }
  }),
  fc.tuple(badActorId, fc.integer({ min: 0, max: 5 })).map(([bad, i]): Case => {
    const a = loose<ActorId.ActorId>(bad)
    const run = [
      actors((s) => s.get(a)),
      actors((s) => s.find(a)),
      actors((s) => s.delete(a)),
      versions((s) => s.list(a)),
      versions((s) => s.get(a, v00)),
      envVars((s) => s.list(a, v00))
    ][i]!
    return { rule: "path: bad Actor ID", field: typeof bad === "string" ? "actorId" : "", run }
  }),
  fc.tuple(fc.oneof(invalidEnvName, wrongType), fc.integer({ min: 0, max: 3 })).map(([bad, i]): Case => {
    const n = loose<EnvVar.EnvVarName>(bad)
    const run = [
      envVars((s) => s.get(actor, v00, n)),
      envVars((s) => s.find(actor, v00, n)),
      envVars((s) => s.delete(actor, v00, n)),
      envVars((s) => s.update(actor, v00, n, EnvVar.plain(envName, "v")))
    ][i]!
    return { rule: "path: bad env var name", field: typeof bad === "string" ? "env var name" : "", run }
  })
]

/** Bodies over the API's size limit: refused before sending with both sizes. */
const oversized = (i: number): Case => {
  const size = Limits.maxRequestBodyBytes + 1 + i * 37_813
  const filler = "y".repeat(size)
  switch (i % 3) {
    case 0:
      return {
        rule: "oversized: Actor description",
        field: undefined,
        run: actors((s) => s.create({ name: ActorName.ActorName.make("big-actor"), description: filler }))
      }
    case 1:
      return {
        rule: "oversized: version buildTag",
        field: undefined,
        run: versions((s) =>
          s.create(actor, VersionRequest.fromTarball(v00, "https://example.com/a.zip", { buildTag: filler }))
        )
      }
    default:
      return {
        rule: "oversized: update buildTag",
        field: undefined,
        run: versions((s) => s.update(actor, v00, { buildTag: filler }))
      }
  }
}

const layer = Apify.layer({ baseUrl: "http://emulator.test", token: Redacted.make(Emulator.defaultUsers[0].token) })
  .pipe(Layer.provide(Retry.layerDefault), Layer.provideMerge(Emulator.layerHttpClient({ rateLimit: false })))

describe("reliability: bad input through the library", () => {
  it.effect(
    `${LIBRARY_CASES} generated invalid inputs are refused locally with a typed error`,
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const perRule = Math.ceil((LIBRARY_CASES - OVERSIZED_CASES) / (rules.length + pathRules.length))
        const cases: Array<Case> = []
        for (const [i, rule] of [...rules, ...pathRules].entries()) {
          cases.push(...fc.sample(rule, { seed: seed + i, numRuns: perRule }))
        }
        cases.length = LIBRARY_CASES - OVERSIZED_CASES
        const byRule: Record<string, Record<string, number>> = {}
        const problems: Array<string> = []
        const memory = memorySampler()
        const started = performance.now()
        const check = (c: Case, exit: Exit.Exit<unknown, ApifyError.ApifyError>): string | undefined => {
          if (Exit.isSuccess(exit)) return "was accepted"
          const failure = Cause.failureOption(exit.cause)
          if (Option.isNone(failure)) return `died: ${Cause.pretty(exit.cause)}`
          const e = failure.value
          const counts = (byRule[c.rule] ??= {})
          counts[e._tag] = (counts[e._tag] ?? 0) + 1
          if (c.field === undefined) {
            if (e._tag !== "PayloadTooLarge") return `got ${e._tag}, expected PayloadTooLarge`
            if (e.attempts !== 0 || e.limitBytes !== Limits.maxRequestBodyBytes) return "not refused locally"
            if (e.actualBytes === undefined || e.actualBytes <= Limits.maxRequestBodyBytes) return "no actual size"
            if (!e.message.includes(String(e.actualBytes)) || !e.message.includes(String(e.limitBytes))) {
              return `the message lacks the sizes: ${e.message}`
            }
            return undefined
          }
          if (e._tag !== "InvalidRequest") return `got ${e._tag}: ${e.message}`
          const shown = Redaction.scrubber(c.secrets ?? [])(c.field)
          if (!e.detail.includes(shown)) return `the message does not name ${shown}: ${e.detail}`
          return undefined
        }
        for (const c of cases) {
          const problem = check(c, yield* Effect.exit(c.run))
          if (problem !== undefined) problems.push(`${c.rule}: ${problem}`)
        }
        for (let i = 0; i < OVERSIZED_CASES; i++) {
          const c = oversized(i)
          const problem = check(c, yield* Effect.exit(c.run))
          if (problem !== undefined) problems.push(`${c.rule}: ${problem}`)
        }
        const millis = performance.now() - started
        gc()
        const peak = memory.stop()
        writeFigures("bad-input-library", {
          seed,
          cases: LIBRARY_CASES,
          rules: rules.length + pathRules.length,
          oversized: OVERSIZED_CASES,
          millis: Math.round(millis),
          requestsSent: yield* emulator.requestCount,
          peakRssMiB: mib(peak.peakRss),
          byRule
        })
        const firstByRule = new Map<string, string>()
        for (const p of problems) {
          const rule = p.slice(0, p.indexOf(":", p.indexOf(":") + 1))
          if (!firstByRule.has(rule)) firstByRule.set(rule, p.split("\n")[0]!)
        }
        assert.deepStrictEqual(
          [...firstByRule.values()],
          [],
          `${problems.length} invalid inputs were not refused properly`
        )
        assert.strictEqual(yield* emulator.requestCount, 0, "an invalid input reached the emulator")
        assert.deepStrictEqual(unhandled, [])
      }).pipe(Effect.provide(layer)),
    120_000
  )

  it.effect(
    "random Actor IDs, version numbers and env var names are refused by the domain's schemas before any call",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const ids = fc.sample(
          fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("", "a/b/c", "a~b~c", "user name~x", "short")),
          { seed, numRuns: 500 }
        )
        const numbers = fc.sample(invalidVersionNumber, { seed: seed + 1, numRuns: 500 })
        const names = fc.sample(invalidEnvName, { seed: seed + 2, numRuns: 500 })
        let refused = 0
        for (const id of ids) {
          const decoded = Schema.decodeUnknownEither(ActorId.ActorId)(id)
          if (Either.isRight(decoded)) continue // a random string may be a valid ID
          refused++
          assert.include(String(decoded.left.message), "actorId")
        }
        for (const n of numbers) {
          const decoded = Schema.decodeUnknownEither(VersionNumber.VersionNumber)(n)
          assert.isTrue(Either.isLeft(decoded), n)
          refused++
        }
        for (const n of names) {
          assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(EnvVar.EnvVarName)(n)), n)
          refused++
        }
        assert.isAbove(refused, 1400)
        assert.strictEqual(yield* emulator.requestCount, 0)
      }).pipe(Effect.provide(layer))
  )

  // Was a known gap (path parameters trusted at run time) until the client checked path
  // arguments; kept as a regression test.
  it.effect(
    "an invalid version number given without the brand is refused before sending",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const versionsService = yield* ActorVersions.ActorVersions
        const error = yield* Effect.flip(versionsService.get(actor, loose<VersionNumber.VersionNumber>("1.0.0")))
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.strictEqual(yield* emulator.requestCount, 0)
      }).pipe(Effect.provide(layer))
  )

  // Was a defect (TypeError reading `body.versionNumber` for the span) until the api package
  // read those fields defensively; kept as a regression test.
  it.effect(
    "a null body is refused with a typed error, not a defect",
    () =>
      Effect.gen(function*() {
        const versionsService = yield* ActorVersions.ActorVersions
        const exit = yield* Effect.exit(versionsService.create(actor, loose(null)))
        assert.isTrue(Exit.isFailure(exit) && Option.isSome(Cause.failureOption(exit.cause)), "not a typed failure")
      }).pipe(Effect.provide(layer))
  )
})
