/**
 * Every rule of the contract, through the in-memory layer and through the loopback server.
 */
import { Actor, Envelope, EnvVar, Version } from "@effect-apify/domain"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as Zlib from "node:zlib"
import { Emulator } from "../src/index.js"
import { dataOf, errorOf, gitVersion, Harness, transports } from "./harness.js"

const stranger = Emulator.defaultUsers[1]

const createActor = (name = "my-actor", versions: ReadonlyArray<unknown> = [gitVersion("0.0")]) =>
  Effect.gen(function*() {
    const h = yield* Harness
    const answer = yield* h.call("POST", "/v2/acts", { json: { name, versions } })
    expect(answer.status).toBe(201)
    return dataOf<{ readonly id: string; readonly name: string }>(answer)
  })

describe.each(transports)("emulator rules (%s)", (_kind, makeLayer) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Harness>, options?: Emulator.EmulatorOptions) =>
    Effect.provide(effect, makeLayer(options))

  describe("Actors", () => {
    it.effect("create answers 201, Location and the Actor object Apify sends", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const answer = yield* h.call("POST", "/v2/acts", {
          json: { name: "my-actor", title: "My Actor", versions: [gitVersion("0.0")] }
        })
        expect(answer.status).toBe(201)
        const actor = dataOf(answer)
        expect(actor.id).toMatch(/^[A-Za-z0-9]{17}$/)
        expect(answer.headers.location).toBe(`${h.base}/v2/acts/${actor.id}`)
        expect(actor).toMatchObject({
          userId: "ownerUserId000001",
          name: "my-actor",
          username: "owner",
          title: "My Actor",
          isPublic: false,
          defaultRunOptions: { build: "latest", timeoutSecs: 3600, memoryMbytes: 4096 },
          versions: [{
            versionNumber: "0.0",
            sourceType: "GIT_REPO",
            gitRepoUrl: "https://github.com/owner/repo#v0.0",
            envVars: null,
            applyEnvVarsToBuild: false,
            buildTag: null
          }]
        })
        expect(typeof actor.stats).toBe("object")
        expect(new Date(String(actor.createdAt)).toISOString()).toBe(actor.createdAt)
        expect(actor.modifiedAt).toBe(actor.createdAt)
      })))

    it.effect("answers decode with the domain's answer schemas", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor("my-actor", [
          gitVersion("0.0", { envVars: [{ name: "A", value: "1" }, { name: "S", value: "2", isSecret: true }] }),
          {
            versionNumber: "0.1",
            sourceType: "SOURCE_FILES",
            sourceFiles: [{ name: "a.js", format: "TEXT", content: "1" }, { name: "src", folder: true }]
          }
        ])
        const actor = yield* Schema.decodeUnknown(Envelope.Data(Actor.Actor))(
          (yield* h.call("GET", "/v2/acts/owner~my-actor")).json
        )
        expect(actor.data.versions.map((v) => v._tag)).toEqual(["GitRepoVersion", "SourceFilesVersion"])
        const versions = yield* Schema.decodeUnknown(Envelope.Data(Envelope.ListPage(Version.Version)))(
          (yield* h.call("GET", "/v2/acts/owner~my-actor/versions")).json
        )
        expect(versions.data.items).toHaveLength(2)
        const envVars = yield* Schema.decodeUnknown(Envelope.Data(Envelope.ListPage(EnvVar.EnvVar)))(
          (yield* h.call("GET", "/v2/acts/owner~my-actor/versions/0.0/env-vars")).json
        )
        expect(envVars.data.items.map((e) => [e.name, e.value, e.isSecret])).toEqual([["A", "1", false], [
          "S",
          undefined,
          true
        ]])
        const error = yield* Schema.decodeUnknown(Envelope.ErrorBody)(
          (yield* h.call("GET", "/v2/acts/owner~nope")).json
        )
        expect(error.error.type).toBe("record-not-found")
      })))

    it.effect("is served under /v2/acts and /v2/actors, by ID, username~name and username/name", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const created = yield* createActor()
        for (const ref of [created.id, "owner~my-actor", encodeURIComponent("owner/my-actor")]) {
          for (const prefix of ["acts", "actors"]) {
            const answer = yield* h.call("GET", `/v2/${prefix}/${ref}`)
            expect(answer.status).toBe(200)
            expect(dataOf(answer).id).toBe(created.id)
          }
        }
        const viaActors = yield* h.call("POST", "/v2/actors", { json: { name: "second" } })
        expect(viaActors.headers.location).toMatch(new RegExp(`^${h.base}/v2/actors/[A-Za-z0-9]{17}$`))
      })))

    it.effect("delete answers 204 with no body, then the Actor is 404 record-not-found", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const created = yield* createActor()
        const deleted = yield* h.call("DELETE", `/v2/acts/${created.id}`)
        expect(deleted.status).toBe(204)
        expect(deleted.text).toBe("")
        const again = yield* h.call("GET", `/v2/acts/${created.id}`)
        expect(again.status).toBe(404)
        expect(errorOf(again).type).toBe("record-not-found")
        expect((yield* h.call("DELETE", `/v2/acts/owner~my-actor`)).status).toBe(404)
      })))

    it.effect("a second Actor with the same name is 400 actor-name-not-unique; another user may reuse it", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        const again = yield* h.call("POST", "/v2/acts", { json: { name: "my-actor" } })
        expect(again.status).toBe(400)
        expect(errorOf(again).type).toBe("actor-name-not-unique")
        const theirs = yield* h.call("POST", "/v2/acts", { json: { name: "my-actor" }, token: stranger.token })
        expect(theirs.status).toBe(201)
        expect(dataOf(theirs).username).toBe("stranger")
      })))

    it.effect("an invalid create body is 400 invalid-input naming the field", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const badName = yield* h.call("POST", "/v2/acts", { json: { name: "My Actor" } })
        expect(badName.status).toBe(400)
        expect(errorOf(badName)).toMatchObject({ type: "invalid-input" })
        expect(errorOf(badName).message).toMatch(/^name: /)
        const badVersion = yield* h.call("POST", "/v2/acts", {
          json: { name: "ok-name", versions: [{ versionNumber: "0.0", sourceType: "GIT_REPO" }] }
        })
        expect(errorOf(badVersion).message).toContain("versions[0].gitRepoUrl")
        const duplicate = yield* h.call("POST", "/v2/acts", {
          json: { name: "ok-name", versions: [gitVersion("0.0"), gitVersion("0.0")] }
        })
        expect(duplicate.status).toBe(400)
        expect(errorOf(duplicate).message).toContain("versions")
      })))

    it.effect("a created Actor without versions has none", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const answer = yield* h.call("POST", "/v2/acts", { json: { name: "bare" } })
        expect(dataOf(answer).versions).toEqual([])
        const list = yield* h.call("GET", "/v2/acts/owner~bare/versions")
        expect(dataOf(list)).toEqual({ total: 0, items: [] })
      })))
  })

  describe("auth", () => {
    it.effect("no token is 401, an unknown token is 401, ?token= works", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        const none = yield* h.call("GET", "/v2/acts/owner~my-actor", { token: null })
        expect(none.status).toBe(401)
        expect(errorOf(none).type).toBe("user-or-token-not-found")
        const wrong = yield* h.call("GET", "/v2/acts/owner~my-actor", { token: "nope" })
        expect(wrong.status).toBe(401)
        expect(errorOf(wrong).type).toBe("token-not-valid")
        const query = yield* h.call("GET", `/v2/acts/owner~my-actor?token=${h.emulator.owner.token}`, { token: null })
        expect(query.status).toBe(200)
      })))

    it.effect("another user's Actor is 403 insufficient-permissions; a public one can be read, not changed", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const created = yield* createActor()
        const as = { token: stranger.token }
        for (
          const [method, path] of [
            ["GET", `/v2/acts/${created.id}`],
            ["DELETE", `/v2/acts/owner~my-actor`],
            ["GET", `/v2/acts/owner~my-actor/versions`],
            ["GET", `/v2/acts/owner~my-actor/versions/0.0`],
            ["GET", `/v2/acts/owner~my-actor/versions/0.0/env-vars`]
          ] as const
        ) {
          const answer = yield* h.call(method, path, as)
          expect(answer.status).toBe(403)
          expect(errorOf(answer).type).toBe("insufficient-permissions")
        }
        const createVersion = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", {
          ...as,
          json: gitVersion("0.1")
        })
        expect(errorOf(createVersion).type).toBe("insufficient-permissions")
        yield* h.emulator.seedActor({ name: "public-one", isPublic: true, versions: [gitVersion("0.0")] })
        expect((yield* h.call("GET", "/v2/acts/owner~public-one", as)).status).toBe(200)
        expect((yield* h.call("GET", "/v2/acts/owner~public-one/versions", as)).status).toBe(403)
        expect((yield* h.call("DELETE", "/v2/acts/owner~public-one", as)).status).toBe(403)
      })))

    it.effect("custom users and a custom owner token", () =>
      run(
        Effect.gen(function*() {
          const h = yield* Harness
          expect(h.emulator.users.map((u) => u.username)).toEqual(["alice", "bob"])
          const answer = yield* h.call("POST", "/v2/acts", { json: { name: "mine" } })
          expect(dataOf(answer)).toMatchObject({ username: "alice", userId: "aliceUserId000001" })
          const bob = yield* h.call("GET", "/v2/acts/alice~mine", { token: "bob-token" })
          expect(bob.status).toBe(403)
        }),
        {
          users: [
            { id: "aliceUserId000001", username: "alice", token: "ignored" },
            { id: "bobUserId00000001", username: "bob", token: "bob-token" }
          ],
          token: "alice-token"
        }
      ))
  })

  describe("versions", () => {
    it.effect("list, create (201 + Location), get, and version-already-exists", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const actor = yield* createActor()
        const created = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", {
          json: {
            versionNumber: "0.1",
            sourceType: "SOURCE_FILES",
            buildTag: "latest",
            applyEnvVarsToBuild: true,
            sourceFiles: [{ name: "main.js", format: "TEXT", content: "console.log(1)" }, { name: "src", folder: true }]
          }
        })
        expect(created.status).toBe(201)
        expect(created.headers.location).toBe(`${h.base}/v2/acts/${actor.id}/versions/0.1`)
        expect(dataOf(created)).toEqual({
          versionNumber: "0.1",
          sourceType: "SOURCE_FILES",
          envVars: null,
          applyEnvVarsToBuild: true,
          buildTag: "latest",
          sourceFiles: [{ name: "main.js", format: "TEXT", content: "console.log(1)" }, { name: "src", folder: true }]
        })
        const list = yield* h.call("GET", `/v2/actors/${actor.id}/versions`)
        expect(dataOf<{ total: number; items: Array<{ versionNumber: string }> }>(list)).toMatchObject({
          total: 2,
          items: [{ versionNumber: "0.0" }, { versionNumber: "0.1" }]
        })
        const got = yield* h.call("GET", "/v2/acts/owner~my-actor/versions/0.1")
        expect(dataOf(got)).toEqual(dataOf(created))
        const again = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", { json: gitVersion("0.1") })
        expect(again.status).toBe(403)
        expect(errorOf(again).type).toBe("version-already-exists")
      })))

    it.effect("a missing Actor or version is 404 record-not-found", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        for (
          const [method, path] of [
            ["GET", "/v2/acts/owner~nothing/versions"],
            ["GET", "/v2/acts/AAAAAAAAAAAAAAAAA/versions/0.0"],
            ["GET", "/v2/acts/owner~my-actor/versions/9.9"],
            ["PUT", "/v2/acts/owner~my-actor/versions/9.9"],
            ["DELETE", "/v2/acts/owner~my-actor/versions/9.9"],
            ["GET", "/v2/acts/owner~my-actor/versions/9.9/env-vars"]
          ] as const
        ) {
          const answer = yield* h.call(method, path, method === "PUT" ? { json: { buildTag: "x" } } : {})
          expect(answer.status, `${method} ${path}`).toBe(404)
          expect(errorOf(answer).type).toBe("record-not-found")
        }
      })))

    it.effect("update by PUT and by the POST alias keeps absent fields and replaces envVars", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor("my-actor", [
          gitVersion("0.0", {
            buildTag: "latest",
            envVars: [{ name: "A", value: "1" }, { name: "B", value: "2", isSecret: true }]
          })
        ])
        const put = yield* h.call("PUT", "/v2/acts/owner~my-actor/versions/0.0", { json: { buildTag: "beta" } })
        expect(put.status).toBe(200)
        expect(dataOf(put)).toMatchObject({
          buildTag: "beta",
          gitRepoUrl: "https://github.com/owner/repo#v0.0",
          envVars: [{ name: "A", value: "1", isSecret: false }, { name: "B", isSecret: true }]
        })
        const post = yield* h.call("POST", "/v2/acts/owner~my-actor/versions/0.0", {
          json: { envVars: [{ name: "C", value: "3" }], sourceType: "TARBALL", tarballUrl: "https://x/a.zip" }
        })
        expect(post.status).toBe(200)
        expect(dataOf(post)).toEqual({
          versionNumber: "0.0",
          sourceType: "TARBALL",
          tarballUrl: "https://x/a.zip",
          gitRepoUrl: "https://github.com/owner/repo#v0.0",
          buildTag: "beta",
          applyEnvVarsToBuild: false,
          envVars: [{ name: "C", value: "3", isSecret: false }]
        })
        const nullTag = yield* h.call("PUT", "/v2/acts/owner~my-actor/versions/0.0", { json: { buildTag: null } })
        expect(dataOf(nullTag).buildTag).toBeNull()
        const missingSource = yield* h.call("PUT", "/v2/acts/owner~my-actor/versions/0.0", {
          json: { sourceType: "GITHUB_GIST" }
        })
        expect(missingSource.status).toBe(400)
        expect(errorOf(missingSource).message).toContain("gitHubGistUrl")
      })))

    it.effect("delete answers 204; the last version is 403 too-few-versions", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor("my-actor", [gitVersion("0.0"), gitVersion("0.1")])
        const deleted = yield* h.call("DELETE", "/v2/acts/owner~my-actor/versions/0.1")
        expect(deleted.status).toBe(204)
        const last = yield* h.call("DELETE", "/v2/acts/owner~my-actor/versions/0.0")
        expect(last.status).toBe(403)
        expect(errorOf(last).type).toBe("too-few-versions")
      })))

    it.effect("validation: version numbers, source fields, source files, 3 MiB inline, JSON", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        const post = (json: unknown) => h.call("POST", "/v2/acts/owner~my-actor/versions", { json })
        const cases: ReadonlyArray<readonly [unknown, string]> = [
          [gitVersion("1.0.0"), "versionNumber"],
          [gitVersion("100.0"), "versionNumber"],
          [gitVersion("01.0"), "versionNumber"],
          [{ versionNumber: "0.1", sourceType: "GIT_REPO" }, "gitRepoUrl"],
          [{ versionNumber: "0.1", sourceType: "TARBALL" }, "tarballUrl"],
          [{ versionNumber: "0.1", sourceType: "GITHUB_GIST" }, "gitHubGistUrl"],
          [{ versionNumber: "0.1", sourceType: "SOURCE_FILES" }, "sourceFiles"],
          [{ versionNumber: "0.1", sourceType: "NOPE" }, "sourceType"],
          [
            { versionNumber: "0.1", sourceType: "SOURCE_FILES", sourceFiles: [{ name: "a", format: "X" }] },
            "sourceFiles[0]"
          ],
          [gitVersion("0.1", { envVars: [{ name: "A=B", value: "x" }] }), "envVars[0].name"],
          [gitVersion("0.1", { envVars: [{ name: "A", value: "x".repeat(50_001) }] }), "envVars[0].value"],
          [gitVersion("0.1", { envVars: [{ name: "x".repeat(101), value: "x" }] }), "envVars[0].name"],
          [
            gitVersion("0.1", { envVars: Array.from({ length: 101 }, (_, i) => ({ name: `V${i}`, value: "x" })) }),
            "envVars"
          ],
          [
            {
              versionNumber: "0.1",
              sourceType: "SOURCE_FILES",
              sourceFiles: [{ name: "big.js", format: "TEXT", content: "x".repeat(3 * 1024 * 1024 + 1) }]
            },
            "sourceFiles"
          ]
        ]
        for (const [body, field] of cases) {
          const answer = yield* post(body)
          expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400)
          expect(errorOf(answer).type).toBe("invalid-input")
          expect(errorOf(answer).message).toContain(field)
        }
        const notJson = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", {
          body: new TextEncoder().encode("{not json")
        })
        expect(notJson.status).toBe(400)
        expect(errorOf(notJson).type).toBe("invalid-input")
        const array = yield* post([gitVersion("0.1")])
        expect(array.status).toBe(400)
        const exactly3MiB = yield* post({
          versionNumber: "0.1",
          sourceType: "SOURCE_FILES",
          sourceFiles: [{ name: "big.js", format: "TEXT", content: "x".repeat(3 * 1024 * 1024) }]
        })
        expect(exactly3MiB.status).toBe(201)
      })))
  })

  describe("env vars", () => {
    it.effect("list, create (201 + Location), get, update by PUT and POST, delete", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const actor = yield* createActor()
        const path = "/v2/acts/owner~my-actor/versions/0.0/env-vars"
        expect(dataOf(yield* h.call("GET", path))).toEqual({ total: 0, items: [] })
        const created = yield* h.call("POST", path, { json: { name: "LOG LEVEL", value: "debug" } })
        expect(created.status).toBe(201)
        expect(created.headers.location).toBe(`${h.base}/v2/acts/${actor.id}/versions/0.0/env-vars/LOG%20LEVEL`)
        expect(dataOf(created)).toEqual({ name: "LOG LEVEL", value: "debug", isSecret: false })
        const one = `${path}/${encodeURIComponent("LOG LEVEL")}`
        expect(dataOf(yield* h.call("GET", one))).toEqual({ name: "LOG LEVEL", value: "debug", isSecret: false })
        const put = yield* h.call("PUT", one, { json: { name: "LOG LEVEL", value: "info" } })
        expect(dataOf(put)).toEqual({ name: "LOG LEVEL", value: "info", isSecret: false })
        const post = yield* h.call("POST", one, { json: { name: "LOG LEVEL", value: "warn", isSecret: true } })
        expect(dataOf(post)).toEqual({ name: "LOG LEVEL", isSecret: true })
        const list = yield* h.call("GET", path)
        expect(dataOf(list)).toEqual({ total: 1, items: [{ name: "LOG LEVEL", isSecret: true }] })
        const deleted = yield* h.call("DELETE", one)
        expect(deleted.status).toBe(204)
        const gone = yield* h.call("GET", one)
        expect(gone.status).toBe(404)
        expect(errorOf(gone).type).toBe("record-not-found")
        expect((yield* h.call("PUT", one, { json: { name: "LOG LEVEL", value: "x" } })).status).toBe(404)
        expect((yield* h.call("DELETE", one)).status).toBe(404)
      })))

    it.effect("secret values are never returned: no `value` key anywhere", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor("my-actor", [
          gitVersion("0.0", { envVars: [{ name: "TOKEN", value: "s3cr3t", isSecret: true }] })
        ])
        const path = "/v2/acts/owner~my-actor/versions/0.0"
        const created = yield* h.call("POST", `${path}/env-vars`, {
          json: { name: "KEY", value: "k3y", isSecret: true }
        })
        for (
          const answer of [
            created,
            yield* h.call("GET", `${path}/env-vars/KEY`),
            yield* h.call("GET", `${path}/env-vars`),
            yield* h.call("GET", path),
            yield* h.call("GET", "/v2/acts/owner~my-actor")
          ]
        ) {
          expect(answer.text).not.toContain("s3cr3t")
          expect(answer.text).not.toContain("k3y")
        }
        expect(dataOf(created)).toEqual({ name: "KEY", isSecret: true })
        expect(Object.keys(dataOf(yield* h.call("GET", `${path}/env-vars/TOKEN`)))).toEqual(["name", "isSecret"])
        const { actors } = yield* h.emulator.snapshot
        expect(actors[0]?.versions[0]?.envVars).toEqual([
          { name: "TOKEN", value: "s3cr3t", isSecret: true },
          { name: "KEY", value: "k3y", isSecret: true }
        ])
      })))

    it.effect("conflicts: env-var-already-exists, cannot-rename-env-var, at most 100 per version", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        const path = "/v2/acts/owner~my-actor/versions/0.0/env-vars"
        yield* h.call("POST", path, { json: { name: "A", value: "1" } })
        const again = yield* h.call("POST", path, { json: { name: "A", value: "2" } })
        expect(again.status).toBe(403)
        expect(errorOf(again).type).toBe("env-var-already-exists")
        const rename = yield* h.call("PUT", `${path}/A`, { json: { name: "B", value: "1" } })
        expect(rename.status).toBe(403)
        expect(errorOf(rename).type).toBe("cannot-rename-env-var")
        const invalid = yield* h.call("POST", path, { json: { name: "X=Y", value: "1" } })
        expect(invalid.status).toBe(400)
        expect(errorOf(invalid).message).toContain("name")
        yield* h.call("PUT", "/v2/acts/owner~my-actor/versions/0.0", {
          json: { envVars: Array.from({ length: 100 }, (_, i) => ({ name: `V${i}`, value: "x" })) }
        })
        const over = yield* h.call("POST", path, { json: { name: "ONE_MORE", value: "1" } })
        expect(over.status).toBe(400)
        expect(errorOf(over).message).toContain("envVars")
      })))
  })

  describe("routes", () => {
    it.effect("an unknown route is 404 page-not-found", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        for (
          const path of [
            "/v2/nothing",
            "/v3/acts",
            "/",
            "/v2/acts/x/builds/y",
            "/v2/actor-builds",
            "/v2/acts/x/versions/0.0/other"
          ]
        ) {
          const answer = yield* h.call("GET", path)
          expect(answer.status, path).toBe(404)
          expect(errorOf(answer).type).toBe("page-not-found")
        }
      })))

    it.effect("a wrong method is 405 method-not-allowed listing the allowed methods", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const actor = yield* h.call("PATCH", "/v2/acts/owner~my-actor")
        expect(actor.status).toBe(405)
        expect(errorOf(actor)).toEqual({
          type: "method-not-allowed",
          message: "This API end-point can only be accessed using the following HTTP methods: OPTIONS,GET,DELETE"
        })
        const versions = yield* h.call("PUT", "/v2/acts/owner~my-actor/versions")
        expect(errorOf(versions).message).toContain("OPTIONS,GET,POST")
        const envVar = yield* h.call("PATCH", "/v2/acts/owner~my-actor/versions/0.0/env-vars/A")
        expect(errorOf(envVar).message).toContain("OPTIONS,GET,PUT,POST,DELETE")
      })))
  })

  describe("bodies", () => {
    const versionBody = () => new TextEncoder().encode(JSON.stringify(gitVersion("0.1", { buildTag: "compressed" })))

    it.effect("gzip, br and deflate bodies are accepted", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        const encoders = {
          gzip: Zlib.gzipSync,
          br: Zlib.brotliCompressSync,
          deflate: Zlib.deflateSync
        } as const
        let minor = 1
        for (const [encoding, encode] of Object.entries(encoders)) {
          const body = new TextEncoder().encode(JSON.stringify(gitVersion(`0.${minor++}`, { buildTag: encoding })))
          const answer = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", {
            body: new Uint8Array(encode(body)),
            headers: { "content-encoding": encoding }
          })
          expect(answer.status, encoding).toBe(201)
          expect(dataOf(answer).buildTag).toBe(encoding)
        }
      })))

    it.effect("another Content-Encoding is 415; a corrupt one is 400", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        const answer = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", {
          body: versionBody(),
          headers: { "content-encoding": "compress" }
        })
        expect(answer.status).toBe(415)
        expect(errorOf(answer)).toEqual({
          type: "unsupported-content-encoding",
          message: "Content-Encoding \"compress\" is not supported."
        })
        const corrupt = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", {
          body: versionBody(),
          headers: { "content-encoding": "gzip" }
        })
        expect(corrupt.status).toBe(400)
        expect(errorOf(corrupt).type).toBe("invalid-input")
      })))

    it.effect(
      "over 9,437,184 bytes after decompression is 413 with the documented message",
      () =>
        run(Effect.gen(function*() {
          const h = yield* Harness
          yield* createActor()
          const size = 10 * 1024 * 1024
          const big = new TextEncoder().encode(JSON.stringify(gitVersion("0.1", { buildTag: "x".repeat(size) })))
          const plain = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", { body: big })
          expect(plain.status).toBe(413)
          expect(errorOf(plain)).toEqual({
            type: "request-too-large",
            message: `The POST payload is too large (limit: 9437184 bytes, actual length: ${big.length} bytes).`
          })
          const bomb = yield* h.call("PUT", "/v2/acts/owner~my-actor/versions/0.0", {
            body: new Uint8Array(Zlib.gzipSync(big)),
            headers: { "content-encoding": "gzip" }
          })
          expect(bomb.status).toBe(413)
          expect(errorOf(bomb).message).toBe(
            `The PUT payload is too large (limit: 9437184 bytes, actual length: ${big.length} bytes).`
          )
          const justUnder = new TextEncoder().encode(
            JSON.stringify(gitVersion("0.1", { buildTag: "x".repeat(9_437_184 - 200) }))
          )
          expect(justUnder.length).toBeLessThanOrEqual(9_437_184)
          const ok = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", { body: justUnder })
          expect(ok.status).toBe(201)
          const { actors } = yield* h.emulator.snapshot
          expect(actors[0]?.versions.map((v) => v.versionNumber)).toEqual(["0.0", "0.1"])
        })),
      20_000
    )
  })

  describe("rate limit", () => {
    it.effect("60 requests per second per Actor by default, then 429 with X-RateLimit-Limit", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor("one")
        yield* createActor("two")
        const statuses: Array<number> = []
        for (let i = 0; i < 61; i++) statuses.push((yield* h.call("GET", "/v2/acts/owner~one")).status)
        expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true)
        const limited = yield* h.call("GET", "/v2/acts/owner~one/versions")
        expect(limited.status).toBe(429)
        expect(errorOf(limited).type).toBe("rate-limit-exceeded")
        expect(limited.headers["x-ratelimit-limit"]).toBe("60")
        // another Actor has its own budget
        expect((yield* h.call("GET", "/v2/acts/owner~two")).status).toBe(200)
        // time refills it (the clock is the test's TestClock)
        yield* TestClock.adjust("1 second")
        expect((yield* h.call("GET", "/v2/acts/owner~one")).status).toBe(200)
      })))

    it.effect("configurable, and can be off", () =>
      Effect.gen(function*() {
        const few = yield* Effect.gen(function*() {
          const h = yield* Harness
          yield* createActor()
          const statuses: Array<number> = []
          for (let i = 0; i < 4; i++) statuses.push((yield* h.call("GET", "/v2/acts/owner~my-actor")).status)
          return statuses
        }).pipe(Effect.provide(makeLayer({ rateLimit: { perSecond: 3 } })))
        expect(few).toEqual([200, 200, 200, 429])
        const off = yield* Effect.gen(function*() {
          const h = yield* Harness
          yield* createActor()
          const statuses = new Set<number>()
          for (let i = 0; i < 150; i++) statuses.add((yield* h.call("GET", "/v2/acts/owner~my-actor")).status)
          return [...statuses]
        }).pipe(Effect.provide(makeLayer({ rateLimit: false })))
        expect(off).toEqual([200])
      }))
  })

  describe("faults", () => {
    const statuses = (n: number) =>
      Effect.gen(function*() {
        const h = yield* Harness
        const out: Array<number | "drop"> = []
        for (let i = 0; i < n; i++) {
          const answer = yield* Effect.either(h.call("GET", "/v2/acts/owner~nothing"))
          out.push(answer._tag === "Left" ? "drop" : answer.right.status)
        }
        return out
      })

    it.effect("are reproducible from a seed", () =>
      Effect.gen(function*() {
        const faults: Emulator.FaultOptions = {
          seed: 42,
          serverErrors: { probability: 0.2 },
          rateLimitBursts: { probability: 0.1, length: 2 },
          dropConnections: { probability: 0.1 }
        }
        const a = yield* statuses(40).pipe(Effect.provide(makeLayer({ faults, rateLimit: false })))
        const b = yield* statuses(40).pipe(Effect.provide(makeLayer({ faults, rateLimit: false })))
        const c = yield* statuses(40).pipe(
          Effect.provide(makeLayer({ faults: { ...faults, seed: 7 }, rateLimit: false }))
        )
        expect(a).toEqual(b)
        expect(a).not.toEqual(c)
        expect(new Set(a)).toEqual(new Set([404, 500, 429, "drop"]))
      }))

    it.effect("429 bursts with and without Retry-After", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* h.emulator.setFaults({ rateLimitBursts: { probability: 1, length: 2, times: 1, retryAfterSeconds: 3 } })
        const first = yield* h.call("GET", "/v2/acts/owner~x")
        const second = yield* h.call("GET", "/v2/acts/owner~x")
        const third = yield* h.call("GET", "/v2/acts/owner~x")
        expect([first.status, second.status, third.status]).toEqual([429, 429, 404])
        expect(errorOf(first).type).toBe("rate-limit-exceeded")
        expect(first.headers["retry-after"]).toBe("3")
        expect(first.headers["x-ratelimit-limit"]).toBe("60")
        yield* h.emulator.setFaults({ rateLimitBursts: { probability: 1, length: 1, times: 1 } })
        const plain = yield* h.call("GET", "/v2/acts/owner~x")
        expect(plain.status).toBe(429)
        expect(plain.headers["retry-after"]).toBeUndefined()
      })))

    it.effect("5xx answers, JSON or not", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* h.emulator.setFaults({ serverErrors: { probability: 1, status: 503, times: 1 } })
        const json = yield* h.call("GET", "/v2/acts/owner~x")
        expect(json.status).toBe(503)
        expect(typeof errorOf(json).type).toBe("string")
        yield* h.emulator.setFaults({ serverErrors: { probability: 1, status: 502, nonJsonBody: true, times: 1 } })
        const html = yield* h.call("GET", "/v2/acts/owner~x")
        expect(html.status).toBe(502)
        expect(html.json).toBeUndefined()
        expect((yield* h.call("GET", "/v2/acts/owner~x")).status).toBe(404)
      })))

    it.effect("dropped connections fail the request at the transport", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* h.emulator.setFaults({ dropConnections: { probability: 1, times: 1 } })
        const dropped = yield* Effect.flip(h.call("GET", "/v2/acts/owner~x"))
        expect(dropped._tag).toBe("RequestError")
        expect((yield* h.call("GET", "/v2/acts/owner~x")).status).toBe(404)
      })))

    it.effect("commit then fail: the write is applied, the answer is a 500 or a dropped connection", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        yield* h.emulator.setFaults({ commitThenFail: { probability: 1, times: 1 } })
        // a read is not a write: untouched
        expect((yield* h.call("GET", "/v2/acts/owner~my-actor")).status).toBe(200)
        const failed = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", { json: gitVersion("0.1") })
        expect(failed.status).toBe(500)
        const retried = yield* h.call("POST", "/v2/acts/owner~my-actor/versions", { json: gitVersion("0.1") })
        expect(errorOf(retried).type).toBe("version-already-exists")
        yield* h.emulator.setFaults({ commitThenFail: { probability: 1, answer: "drop", times: 1 } })
        const dropped = yield* Effect.either(
          h.call("POST", "/v2/acts/owner~my-actor/versions/0.1/env-vars", { json: { name: "A", value: "1" } })
        )
        expect(dropped._tag).toBe("Left")
        const stored = yield* h.call("GET", "/v2/acts/owner~my-actor/versions/0.1/env-vars/A")
        expect(dataOf(stored)).toEqual({ name: "A", value: "1", isSecret: false })
      })))

    it.effect("`when` limits faults to the requests it accepts", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* createActor()
        yield* h.emulator.setFaults({
          when: ({ method, path }) => method === "POST" && path.endsWith("/versions"),
          serverErrors: { probability: 1, status: 503 }
        })
        expect((yield* h.call("GET", "/v2/acts/owner~my-actor/versions")).status).toBe(200)
        expect((yield* h.call("POST", "/v2/acts/owner~my-actor/versions", { json: gitVersion("0.1") })).status).toBe(
          503
        )
        expect(
          (yield* h.call("POST", "/v2/acts/owner~my-actor/versions/0.0/env-vars", { json: { name: "A", value: "1" } }))
            .status
        ).toBe(201)
      })))

    it.live("added latency", () =>
      run(
        Effect.gen(function*() {
          const h = yield* Harness
          const start = Date.now()
          yield* h.call("GET", "/v2/acts/owner~x")
          expect(Date.now() - start).toBeGreaterThanOrEqual(395)
          yield* h.emulator.setFaults({})
          const again = Date.now()
          yield* h.call("GET", "/v2/acts/owner~x")
          expect(Date.now() - again).toBeLessThan(395)
        }),
        { faults: { latency: { min: "400 millis", max: "450 millis" } } }
      ))

    it.effect("the request counter and log see every request that reached the router", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        yield* h.emulator.setFaults({ serverErrors: { probability: 1, times: 2 } })
        yield* h.call("GET", "/v2/nothing")
        yield* h.call("GET", "/v2/acts/owner~x")
        yield* h.call("GET", "/v2/acts/owner~x", { token: null })
        expect(yield* h.emulator.requestCount).toBe(3)
        yield* h.emulator.setFaults({ dropConnections: { probability: 1, times: 1 } })
        yield* Effect.either(h.call("GET", `/v2/acts/owner~x?token=${h.emulator.owner.token}`))
        expect(yield* h.emulator.requestLog).toEqual([
          { method: "GET", path: "/v2/nothing", status: 500, fault: "server-error" },
          { method: "GET", path: "/v2/acts/owner~x", status: 500, fault: "server-error" },
          { method: "GET", path: "/v2/acts/owner~x", status: 401, fault: null },
          { method: "GET", path: "/v2/acts/owner~x", status: "dropped", fault: "drop" }
        ])
      })))
  })

  describe("state handle", () => {
    it.effect("seedActor validates like the API and shows up in answers and the snapshot", () =>
      run(Effect.gen(function*() {
        const h = yield* Harness
        const seeded = yield* h.emulator.seedActor({
          name: "seeded",
          id: "SeededActorId0001",
          versions: [gitVersion("1.2")]
        })
        expect(seeded.id).toBe("SeededActorId0001")
        const answer = yield* h.call("GET", "/v2/acts/SeededActorId0001/versions/1.2")
        expect(answer.status).toBe(200)
        const strangers = yield* h.emulator.seedActor({ name: "theirs", username: "stranger" })
        expect(strangers.userId).toBe(stranger.id)
        const bad = yield* Effect.flip(h.emulator.seedActor({ name: "x", versions: [] }))
        expect(bad._tag).toBe("SeedError")
        expect(bad.message).toContain("name")
        const dup = yield* Effect.flip(h.emulator.seedActor({ name: "seeded" }))
        expect(dup.message).toContain("already")
        const snapshot = yield* h.emulator.snapshot
        expect(snapshot.actors.map((a) => a.name).sort()).toEqual(["seeded", "theirs"])
        yield* h.emulator.reset
        expect((yield* h.emulator.snapshot).actors).toEqual([])
      })))
  })
})
