import { ActorVersions, ApifyError, Auth } from "@effect-apify/api"
import { SourceFile, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { actor, cannedLayer, errorJson, layer, owned, seed, strangerToken, v, versionJson } from "./utils.js"

const versions = ActorVersions.ActorVersions

describe("ActorVersions", () => {
  describe("success", () => {
    it.effect("list returns every version, decoded", () =>
      Effect.gen(function*() {
        yield* seed
        const list = yield* (yield* versions).list(owned)
        assert.deepStrictEqual(list.map((x) => [x._tag, x.versionNumber]), [["GitRepoVersion", "0.1"]])
      }).pipe(Effect.provide(layer())))

    it.effect("create returns the new version, for each source type", () =>
      Effect.gen(function*() {
        yield* seed
        const api = yield* versions
        const files = yield* api.create(
          owned,
          VersionRequest.fromFiles(v("1.0"), [SourceFile.text("main.js", "console.log(1)"), SourceFile.folder("src")], {
            buildTag: "latest",
            envVars: [{ name: envVar("A"), value: "1" }]
          })
        )
        assert.strictEqual(files._tag, "SourceFilesVersion")
        const tarball = yield* api.create(owned, VersionRequest.fromTarball(v("1.1"), "https://x.test/a.zip"))
        assert.strictEqual(tarball._tag, "TarballVersion")
        const gist = yield* api.create(owned, VersionRequest.fromGist(v("1.2"), "https://gist.github.com/x/1"))
        assert.strictEqual(gist._tag, "GitHubGistVersion")
        const git = yield* api.create(owned, VersionRequest.fromGitRepo(v("1.3"), "https://github.com/x/y#main:src"))
        assert.strictEqual(git._tag, "GitRepoVersion")
        const { actors } = yield* (yield* Emulator.Emulator).snapshot
        assert.deepStrictEqual(actors[0]!.versions.map((x) => x.versionNumber), ["0.1", "1.0", "1.1", "1.2", "1.3"])
      }).pipe(Effect.provide(layer())))

    it.effect("a create or an update encodes its body when it runs, not when it is made", () =>
      Effect.gen(function*() {
        yield* seed
        const api = yield* versions
        let reads = 0
        const files = [SourceFile.text("main.js", "console.log(1)")]
        const body: VersionRequest.CreateVersion = {
          versionNumber: v("1.0"),
          sourceType: "SOURCE_FILES",
          get sourceFiles() {
            reads++
            return files
          }
        }
        // As `versions push` makes them: an update, and the create it falls back to on 404.
        const update = api.update(owned, v("1.0"), body)
        const create = api.create(owned, body)
        assert.strictEqual(reads, 0)
        const created = yield* create
        assert.strictEqual(created.versionNumber, "1.0")
        const afterCreate = reads
        assert.isAbove(afterCreate, 0)
        yield* update
        assert.isAbove(reads, afterCreate)
      }).pipe(Effect.provide(layer())))

    it.effect("get, find and the username/name form", () =>
      Effect.gen(function*() {
        yield* seed
        const api = yield* versions
        const got = yield* api.get(actor("owner/my-actor"), v("0.1"))
        assert.strictEqual(got.versionNumber, "0.1")
        assert.isTrue(Option.isSome(yield* api.find(owned, v("0.1"))))
        assert.isTrue(Option.isNone(yield* api.find(owned, v("9.9"))))
        assert.isTrue(Option.isNone(yield* api.find(actor("owner~nobody"), v("0.1"))))
      }).pipe(Effect.provide(layer())))

    it.effect("update by PUT and by the POST alias", () =>
      Effect.gen(function*() {
        yield* seed
        const api = yield* versions
        const put = yield* api.update(owned, v("0.1"), { buildTag: "beta" })
        assert.strictEqual(put.buildTag, "beta")
        const post = yield* api.update(owned, v("0.1"), { gitRepoUrl: "https://github.com/x/z" }, { usePost: true })
        assert.strictEqual(post._tag === "GitRepoVersion" && post.gitRepoUrl, "https://github.com/x/z")
        assert.strictEqual(post.buildTag, "beta")
      }).pipe(Effect.provide(layer())))

    it.effect("delete removes the version", () =>
      Effect.gen(function*() {
        yield* seed
        const api = yield* versions
        yield* api.create(owned, VersionRequest.fromGitRepo(v("0.2"), "https://github.com/x/y"))
        yield* api.delete(owned, v("0.1"))
        assert.deepStrictEqual((yield* api.list(owned)).map((x) => x.versionNumber), ["0.2"])
      }).pipe(Effect.provide(layer())))
  })

  describe("errors from the API", () => {
    it.effect("400 invalid-input: BadRequest", () =>
      Effect.gen(function*() {
        yield* seed
        const error = yield* Effect.flip((yield* versions).update(owned, v("0.1"), { versionNumber: v("0.2") }))
        assert.strictEqual(error._tag, "BadRequest")
        assert.strictEqual(error._tag === "BadRequest" && error.type, "invalid-input")
        assert.strictEqual(error._tag === "BadRequest" && error.method, "PUT")
        assert.strictEqual(error._tag === "BadRequest" && error.path, "/v2/acts/owner~my-actor/versions/0.1")
        assert.include(error.message, "versionNumber")
      }).pipe(Effect.provide(layer())))

    it.effect("401: Unauthorized with a wrong token and with none", () =>
      Effect.gen(function*() {
        yield* seed
        const wrong = yield* Effect.flip(
          Effect.flatMap(versions, (api) => api.list(owned)).pipe(
            Effect.provide(ActorVersions.layer.pipe(Layer.provide(clientWith(Auth.bearer("apify_api_wrong")))))
          )
        )
        assert.strictEqual(wrong._tag, "Unauthorized")
        assert.strictEqual(wrong._tag === "Unauthorized" && wrong.type, "token-not-valid")
        const none = yield* Effect.flip(
          Effect.flatMap(versions, (api) => api.list(owned)).pipe(
            Effect.provide(ActorVersions.layer.pipe(Layer.provide(clientWith(Auth.none))))
          )
        )
        assert.strictEqual(none._tag === "Unauthorized" && none.type, "user-or-token-not-found")
      }).pipe(Effect.provide(layer())))

    it.effect("403: Forbidden for a stranger, version-already-exists, too-few-versions", () =>
      Effect.gen(function*() {
        yield* seed
        const api = yield* versions
        const stranger = yield* Effect.flip(
          Effect.flatMap(versions, (api) => api.get(owned, v("0.1"))).pipe(
            Effect.provide(ActorVersions.layer.pipe(Layer.provide(clientWith(Auth.bearer(strangerToken)))))
          )
        )
        assert.isTrue(ApifyError.isPermissionDenied(stranger))
        const exists = yield* Effect.flip(api.create(owned, VersionRequest.fromGitRepo(v("0.1"), "https://x.test")))
        assert.isTrue(ApifyError.isVersionAlreadyExists(exists))
        assert.isTrue(ApifyError.isAlreadyExists(exists))
        assert.strictEqual(exists._tag === "Forbidden" && exists.attempts, 1)
        const last = yield* Effect.flip(api.delete(owned, v("0.1")))
        assert.isTrue(ApifyError.isTooFewVersions(last))
        assert.isFalse(ApifyError.isVersionAlreadyExists(last))
      }).pipe(Effect.provide(layer())))

    it.effect("404: NotFound for a missing Actor or version; page-not-found on a wrong prefix", () =>
      Effect.gen(function*() {
        yield* seed
        const api = yield* versions
        const noVersion = yield* Effect.flip(api.get(owned, v("7.7")))
        assert.isTrue(ApifyError.isRecordNotFound(noVersion))
        const noActor = yield* Effect.flip(api.list(actor("owner~missing")))
        assert.strictEqual(noActor._tag, "NotFound")
        const noDelete = yield* Effect.flip(api.delete(owned, v("7.7")))
        assert.strictEqual(noDelete._tag, "NotFound")
      }).pipe(Effect.provide(layer())))

    it.effect("find fails on page-not-found (a wrong prefix) instead of answering None", () =>
      Effect.gen(function*() {
        yield* seed
        const error = yield* Effect.flip((yield* versions).find(owned, v("0.1")))
        assert.strictEqual(error._tag === "NotFound" && error.type, "page-not-found")
      }).pipe(Effect.provide(layer({ client: { pathPrefix: "/v2/nothing-here" } }))))

    it.effect("the /v2/actors prefix works too", () =>
      Effect.gen(function*() {
        yield* seed
        const list = yield* (yield* versions).list(owned)
        assert.strictEqual(list.length, 1)
      }).pipe(Effect.provide(layer({ client: { pathPrefix: "/v2/actors" } }))))

    it.effect("413 from the API: PayloadTooLarge", () =>
      Effect.gen(function*() {
        yield* seed
        const error = yield* Effect.flip(
          (yield* versions).create(
            owned,
            VersionRequest.fromFiles(v("0.2"), [SourceFile.text("a.txt", "x".repeat(5000))])
          )
        )
        assert.strictEqual(error._tag, "PayloadTooLarge")
        assert.strictEqual(error._tag === "PayloadTooLarge" && error.attempts, 1)
        assert.include(error.message, "request-too-large")
      }).pipe(Effect.provide(layer({ emulator: { maxRequestBodyBytes: 1000 }, client: { compression: false } }))))

    it.effect("429: RateLimited, 5xx: ServerError (also with a body that is not JSON)", () =>
      Effect.gen(function*() {
        yield* seed
        const emulator = yield* Emulator.Emulator
        const api = yield* versions
        yield* emulator.setFaults({ rateLimitBursts: { probability: 1, length: 1, times: 1 } })
        const limited = yield* Effect.flip(api.get(owned, v("0.1")))
        assert.strictEqual(limited._tag, "RateLimited")
        assert.strictEqual(limited._tag === "RateLimited" && limited.type, "rate-limit-exceeded")
        yield* emulator.setFaults({ serverErrors: { probability: 1, status: 503, times: 1 } })
        const unavailable = yield* Effect.flip(api.get(owned, v("0.1")))
        assert.strictEqual(unavailable._tag === "ServerError" && unavailable.status, 503)
        yield* emulator.setFaults({ serverErrors: { probability: 1, status: 502, nonJsonBody: true, times: 1 } })
        const html = yield* Effect.flip(api.get(owned, v("0.1")))
        assert.strictEqual(html._tag === "ServerError" && html.status, 502)
        assert.include(html.message, "502")
      }).pipe(Effect.provide(layer())))

    it.effect("a dropped connection: TransportError", () =>
      Effect.gen(function*() {
        yield* seed
        yield* (yield* Emulator.Emulator).setFaults({ dropConnections: { probability: 1, times: 1 } })
        const error = yield* Effect.flip((yield* versions).get(owned, v("0.1")))
        assert.strictEqual(error._tag, "TransportError")
        assert.strictEqual(error._tag === "TransportError" && error.reason, "Transport")
      }).pipe(Effect.provide(layer())))
  })

  describe("statuses the emulator does not send here (canned answers)", () => {
    it.effect("405 on the POST alias: MethodNotAllowed", () => {
      const canned = cannedLayer([{ status: 405, body: errorJson("method-not-allowed", "Only GET, PUT") }])
      return Effect.gen(function*() {
        const error = yield* Effect.flip((yield* versions).update(owned, v("0.1"), {}, { usePost: true }))
        assert.strictEqual(error._tag, "MethodNotAllowed")
        assert.strictEqual(canned.requests[0]!.method, "POST")
      }).pipe(Effect.provide(canned.layer))
    })

    it.effect("a status the endpoint does not expect becomes ServerError unexpected-status", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.flatMap(versions, (api) => api.get(owned, v("0.1"))))
        assert.strictEqual(error._tag, "ServerError")
        assert.strictEqual(error._tag === "ServerError" && error.status, 418)
        assert.strictEqual(error._tag === "ServerError" && error.type, "unexpected-status")
      }).pipe(Effect.provide(cannedLayer([{ status: 418, body: "I'm a teapot" }]).layer)))

    it.effect("415 where not expected keeps Apify's type", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Effect.flatMap(versions, (api) => api.list(owned)))
        assert.strictEqual(error._tag === "ServerError" && error.type, "unsupported-content-encoding")
      }).pipe(
        Effect.provide(cannedLayer([{ status: 415, body: errorJson("unsupported-content-encoding", "no") }]).layer)
      ))

    it.effect("an answer that does not decode: DecodeError naming the field", () =>
      Effect.gen(function*() {
        const api = yield* versions
        const notJson = yield* Effect.flip(api.get(owned, v("0.1")))
        assert.strictEqual(notJson._tag, "DecodeError")
        const wrong = yield* Effect.flip(api.get(owned, v("0.1")))
        assert.strictEqual(wrong._tag, "DecodeError")
        assert.include(wrong._tag === "DecodeError" ? wrong.detail : "", "versionNumber")
        const ok = yield* api.get(owned, v("0.1"))
        assert.strictEqual(ok.versionNumber, "0.1")
      }).pipe(Effect.provide(
        cannedLayer([
          { status: 200, body: "<html>" },
          { status: 200, body: JSON.stringify({ data: { versionNumber: 12, sourceType: "GIT_REPO" } }) },
          { status: 200, body: versionJson }
        ]).layer
      )))

    it.effect("lenient decoding: unknown fields, nulls, a future source type", () =>
      Effect.gen(function*() {
        const got = yield* Effect.flatMap(versions, (api) => api.get(owned, v("0.1")))
        assert.strictEqual(got._tag, "UnknownSourceVersion")
        assert.strictEqual(got.sourceType, "DOCKER_IMAGE")
      }).pipe(Effect.provide(
        cannedLayer([{
          status: 200,
          body: JSON.stringify({
            data: { versionNumber: "0.1", sourceType: "DOCKER_IMAGE", envVars: null, buildTag: null, shiny: true }
          })
        }]).layer
      )))
  })

  describe("refused before sending", () => {
    it.effect("InvalidRequest names the field; nothing is sent", () => {
      const canned = cannedLayer([{ status: 201, body: versionJson }])
      return Effect.gen(function*() {
        const api = yield* versions
        const error = yield* Effect.flip(
          api.create(
            owned,
            VersionRequest.fromGitRepo(v("0.1"), "https://x.test", {
              envVars: [{ name: envVar("A"), value: "1" }, { name: envVar("A"), value: "2" }]
            })
          )
        )
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.include(error.message, "envVars")
        const badUrl = yield* Effect.flip(api.create(owned, VersionRequest.fromGitRepo(v("0.1"), "  ")))
        assert.include(badUrl.message, "gitRepoUrl")
        assert.strictEqual(canned.requests.length, 0)
      }).pipe(Effect.provide(canned.layer))
    })

    it.effect("inline sources over 3 MiB: InvalidRequest with a hint to use a tarball or Git", () => {
      const canned = cannedLayer([{ status: 201, body: versionJson }])
      return Effect.gen(function*() {
        const error = yield* Effect.flip(
          (yield* versions).create(
            owned,
            VersionRequest.fromFiles(v("0.1"), [SourceFile.text("big.txt", "x".repeat(3 * 1024 * 1024 + 1))])
          )
        )
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.include(error.message, "sourceFiles")
        assert.include(error.message, "TARBALL")
        assert.strictEqual(canned.requests.length, 0)
      }).pipe(Effect.provide(canned.layer))
    })

    it.effect("a body over 9,437,184 bytes: PayloadTooLarge with both sizes, attempts 0", () => {
      const canned = cannedLayer([{ status: 201, body: versionJson }])
      return Effect.gen(function*() {
        // three-byte characters: 3 Mi characters (at the inline limit) are over 9,437,184 bytes of JSON
        const content = "€".repeat(3 * 1024 * 1024)
        const error = yield* Effect.flip(
          (yield* versions).create(owned, VersionRequest.fromFiles(v("0.1"), [SourceFile.text("big.txt", content)]))
        )
        assert.strictEqual(error._tag, "PayloadTooLarge")
        if (error._tag !== "PayloadTooLarge") return
        assert.strictEqual(error.attempts, 0)
        assert.strictEqual(error.limitBytes, 9_437_184)
        assert.isAbove(error.actualBytes ?? 0, 9_437_184)
        assert.include(error.message, "9437184")
        assert.include(error.message, String(error.actualBytes))
        assert.strictEqual(canned.requests.length, 0)
      }).pipe(Effect.provide(canned.layer))
    })
  })

  it("each method's error type lists only what it can produce", () => {
    type ErrorOf<F> = F extends (...args: never) => Effect.Effect<unknown, infer E>
      ? E extends { readonly _tag: infer T } ? T : never
      : never
    expectTypeOf<ErrorOf<ActorVersions.Service["get"]>>().toEqualTypeOf<
      | "Unauthorized"
      | "RateLimited"
      | "ServerError"
      | "TransportError"
      | "DecodeError"
      | "InvalidRequest"
      | "Forbidden"
      | "NotFound"
    >()
    expectTypeOf<"PayloadTooLarge">().not.toMatchTypeOf<ErrorOf<ActorVersions.Service["get"]>>()
    expectTypeOf<"MethodNotAllowed">().not.toMatchTypeOf<ErrorOf<ActorVersions.Service["create"]>>()
    expectTypeOf<"PayloadTooLarge" | "InvalidRequest" | "BadRequest">().toMatchTypeOf<
      ErrorOf<ActorVersions.Service["create"]>
    >()
    expectTypeOf<"MethodNotAllowed">().toMatchTypeOf<ErrorOf<ActorVersions.Service["update"]>>()
  })
})

import { ApifyClient } from "@effect-apify/api"
import { EnvVar } from "@effect-apify/domain"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Redacted from "effect/Redacted"
import { ownerToken } from "./utils.js"

const envVar = (s: string) => EnvVar.EnvVarName.make(s)

/** A client over the emulator already in the context, with another `Auth`. */
const clientWith = (auth: Layer.Layer<Auth.Auth>) =>
  ApifyClient.layer({ baseUrl: "http://emulator.test", token: Redacted.make(ownerToken) }).pipe(
    Layer.provide(auth),
    Layer.provide(Layer.effect(HttpClient.HttpClient, HttpClient.HttpClient))
  )

describe("path arguments from outside TypeScript's types", () => {
  const loose = <A>(value: unknown): A => value as A

  it.effect("an invalid Actor id, version number or env var name is refused before sending, naming it", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      const before = yield* emulator.requestCount
      const api = yield* versions
      const badVersion = yield* Effect.flip(api.get(owned, loose("1.0.0")))
      assert.strictEqual(badVersion._tag, "InvalidRequest")
      assert.include(badVersion.message, "versionNumber must be MAJOR.MINOR")
      assert.include(badVersion.message, "GET /v2/acts/owner~my-actor/versions/1.0.0")
      const badActor = yield* Effect.flip(api.list(loose("no spaces allowed")))
      assert.strictEqual(badActor._tag, "InvalidRequest")
      assert.include(badActor.message, "actorId must be an Actor ID")
      const badFind = yield* Effect.flip(api.find(owned, loose(12)))
      assert.strictEqual(badFind._tag, "InvalidRequest")
      assert.include(badFind.message, "versionNumber: Expected string, actual 12")
      assert.strictEqual(yield* emulator.requestCount, before)
    }).pipe(Effect.provide(layer())))
})
