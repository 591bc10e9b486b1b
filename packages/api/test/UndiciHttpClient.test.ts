/**
 * `UndiciHttpClient` as an `HttpClient`, over real loopback sockets: what an answer holds
 * (status, headers, cookies, the body whole or streamed), the request bodies it sends, how
 * failures map to `RequestError` / `ResponseError`, and that interruption, a dropped stream and
 * the layer's release each close the sockets they hold.
 */
import { UndiciHttpClient } from "@effect-apify/api"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { execFile } from "node:child_process"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { activeResources, settleResources } from "./reliability/harness.js"

const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251)

interface Server {
  readonly url: string
  /** Connections open now. */
  readonly open: () => number
  /** Connections accepted so far. */
  readonly accepted: () => number
}

// /echo: the request as JSON (body in base64), two cookies and a repeated header;
// /big: `big` in 64 KiB chunks; /never: no answer; /half: 10 of 1,000 bytes, then the socket
// is destroyed (/cut) or left (/stall); /slow: two pieces 30 ms apart; /form: a multipart
// answer; /params: url-encoded.
const handler: Http.RequestListener = (req, res) => {
  const parts: Array<Buffer> = []
  req.on("data", (part: Buffer) => parts.push(part))
  req.on("end", () => {
    const path = req.url ?? ""
    if (path === "/echo") {
      const body = Buffer.concat(parts)
      res.writeHead(
        201,
        [
          ["content-type", "application/json"],
          ["set-cookie", "a=1; Path=/"],
          ["set-cookie", "b=2; Path=/"],
          ["x-twice", "one"],
          ["x-twice", "two"]
        ].flat()
      )
      res.end(JSON.stringify({ method: req.method, headers: req.headers, body: body.toString("base64") }))
    } else if (path === "/big") {
      res.writeHead(200, { "content-type": "application/octet-stream" })
      for (let at = 0; at < big.length; at += 64 * 1024) res.write(big.subarray(at, at + 64 * 1024))
      res.end()
    } else if (path === "/slow") {
      res.writeHead(200, { "content-type": "text/plain" })
      res.write("first half, ")
      setTimeout(() => res.end("second half"), 30)
    } else if (path === "/cut" || path === "/stall") {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
      res.write("{\"data\":{\"a")
      if (path === "/cut") setTimeout(() => res.socket?.destroy(), 20)
    } else if (path === "/form") {
      const form = new FormData()
      form.append("name", "value")
      const response = new Response(form)
      void response.arrayBuffer().then((bytes) => {
        res.writeHead(200, { "content-type": response.headers.get("content-type")! })
        res.end(Buffer.from(bytes))
      })
    } else if (path === "/params") {
      res.writeHead(200, { "content-type": "application/x-www-form-urlencoded" })
      res.end("a=1&b=two")
    } else if (path !== "/never") {
      res.writeHead(404)
      res.end()
    }
  })
}

const serve = Effect.acquireRelease(
  Effect.async<Http.Server & { sockets: Set<Net.Socket>; count: number }>((resume) => {
    const server = Object.assign(Http.createServer(handler), { sockets: new Set<Net.Socket>(), count: 0 })
    server.on("connection", (socket) => {
      server.count++
      server.sockets.add(socket)
      socket.on("close", () => server.sockets.delete(socket))
    })
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) =>
    Effect.async<void>((resume) => {
      for (const socket of server.sockets) socket.destroy()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map((server): Server => ({
  url: `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}`,
  open: () => server.sockets.size,
  accepted: () => server.count
})))

/** Waits (real time, up to 2 s) until `condition` holds. */
const eventually = (condition: () => boolean, what: string) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100 && !condition(); i++) yield* Effect.sleep("20 millis")
    assert.isTrue(condition(), what)
  })

const client = HttpClient.HttpClient

describe("UndiciHttpClient", () => {
  it.scopedLive("an answer: status, headers, cookies, and its body as json, text, arrayBuffer and stream", () =>
    Effect.gen(function*() {
      const server = yield* serve
      const http = yield* client
      const post = HttpClientRequest.post(`${server.url}/echo`).pipe(HttpClientRequest.bodyText("hi"))
      const response = yield* http.execute(post)
      assert.strictEqual(response.status, 201)
      assert.strictEqual(response.headers["content-type"], "application/json")
      assert.strictEqual(response.headers["x-twice"], "one, two")
      assert.deepStrictEqual([response.cookies.cookies.a?.value, response.cookies.cookies.b?.value], ["1", "2"])
      const json = (yield* response.json) as { method: string; body: string }
      assert.strictEqual(json.method, "POST")
      assert.strictEqual(Buffer.from(json.body, "base64").toString(), "hi")
      const text = yield* Effect.flatMap(http.execute(post), (r) => r.text)
      assert.include(text, "\"method\":\"POST\"")
      const bytes = yield* Effect.flatMap(http.get(`${server.url}/big`), (r) => r.arrayBuffer)
      assert.isTrue(Buffer.from(bytes).equals(Buffer.from(big)))
      const chunks = yield* Stream.runCollect(
        Effect.flatMap(http.get(`${server.url}/big`), (r) => Effect.succeed(r.stream)).pipe(Stream.unwrap)
      )
      assert.isTrue(Buffer.concat([...chunks]).equals(Buffer.from(big)))
      const form = yield* Effect.flatMap(http.get(`${server.url}/form`), (r) => r.formData)
      assert.strictEqual(form.get("name"), "value")
      const params = yield* Effect.flatMap(http.get(`${server.url}/params`), (r) => r.urlParamsBody)
      assert.deepStrictEqual(params, [["a", "1"], ["b", "two"]])
      // the answers read whole left their connection for the next request
      assert.isAtMost(server.accepted(), 2)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("two readers of one body waiting at once both get it", () =>
    Effect.gen(function*() {
      const server = yield* serve
      const response = yield* (yield* client).get(`${server.url}/slow`)
      const [text, bytes] = yield* Effect.all([response.text, response.arrayBuffer], { concurrency: 2 })
      assert.strictEqual(text, "first half, second half")
      assert.strictEqual(Buffer.from(bytes).toString(), text)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("request bodies: bytes, FormData and streams with and without a length arrive intact", () =>
    Effect.gen(function*() {
      const server = yield* serve
      const http = yield* client
      const echo = (body: HttpBody.HttpBody) =>
        Effect.flatMap(
          http.execute(HttpClientRequest.put(`${server.url}/echo`).pipe(HttpClientRequest.setBody(body))),
          (r) => Effect.map(r.json, (json) => json as { headers: Http.IncomingHttpHeaders; body: string })
        )
      const bytes = yield* echo(HttpBody.uint8Array(big.subarray(0, 100_000), "application/zip"))
      assert.strictEqual(bytes.headers["content-type"], "application/zip")
      assert.isTrue(Buffer.from(bytes.body, "base64").equals(Buffer.from(big.subarray(0, 100_000))))
      const form = new FormData()
      form.append("field", "välue")
      const formEcho = yield* echo(HttpBody.formData(form))
      assert.match(formEcho.headers["content-type"]!, /^multipart\/form-data; boundary=/)
      assert.include(Buffer.from(formEcho.body, "base64").toString(), "välue")
      const pieces = Stream.fromIterable([big.subarray(0, 70_000), big.subarray(70_000, 200_000)])
      const sized = yield* echo(HttpBody.stream(pieces, "application/octet-stream", 200_000))
      assert.strictEqual(sized.headers["content-length"], "200000")
      assert.isTrue(Buffer.from(sized.body, "base64").equals(Buffer.from(big.subarray(0, 200_000))))
      const chunked = yield* echo(HttpBody.stream(pieces))
      assert.strictEqual(chunked.headers["transfer-encoding"], "chunked")
      assert.strictEqual(Buffer.from(chunked.body, "base64").length, 200_000)
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("failures: refused, invalid URL, a failing body stream (RequestError); a cut body (ResponseError)", () =>
    Effect.gen(function*() {
      const server = yield* serve
      const http = yield* client
      const refused = yield* Effect.flip(http.get("http://127.0.0.1:1/x"))
      assert.strictEqual(refused._tag === "RequestError" && refused.reason, "Transport")
      const invalid = yield* Effect.flip(http.get("http://[::1/x"))
      assert.strictEqual(invalid._tag === "RequestError" && invalid.reason, "InvalidUrl")
      const failing = Stream.concat(Stream.make(new Uint8Array(10)), Stream.fail(new Error("disk gone")))
      const streamed = yield* Effect.flip(
        http.execute(HttpClientRequest.put(`${server.url}/echo`).pipe(HttpClientRequest.bodyStream(failing)))
      )
      assert.strictEqual(streamed._tag === "RequestError" && streamed.reason, "Transport")
      assert.include(String(streamed.cause), "disk gone")
      const cut = yield* Effect.flip(Effect.flatMap(http.get(`${server.url}/cut`), (r) => r.text))
      assert.strictEqual(cut._tag === "ResponseError" && cut.reason, "Decode")
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("interruption before the answer, or while its body is read, closes the connection", () =>
    Effect.gen(function*() {
      const server = yield* serve
      const http = yield* client
      for (const path of ["/never", "/stall"]) {
        const fiber = yield* Effect.fork(Effect.flatMap(http.get(`${server.url}${path}`), (r) => r.text))
        yield* eventually(() => server.open() === 1, `${path}: the request reached the server`)
        yield* Fiber.interrupt(fiber)
        yield* eventually(() => server.open() === 0, `${path}: the connection was closed`)
      }
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("a body stream left early, or a request's scope closed, closes the connection", () =>
    Effect.gen(function*() {
      const server = yield* serve
      const http = yield* client
      const first = yield* Stream.runCollect(
        Stream.unwrap(Effect.map(http.get(`${server.url}/big`), (r) => r.stream)).pipe(Stream.take(1))
      )
      assert.strictEqual(Chunk.size(first), 1)
      yield* eventually(() => server.open() === 0, "the stream's connection was closed")
      // HttpClient.withScope: closing the scope aborts the request, answer unread
      const scope = yield* Scope.make()
      const response = yield* HttpClient.withScope(http).get(`${server.url}/big`).pipe(Scope.extend(scope))
      assert.strictEqual(response.status, 200)
      yield* Scope.close(scope, Exit.void)
      yield* eventually(() => server.open() === 0, "the scoped request's connection was closed")
      const cut = yield* Effect.flip(Effect.flatMap(response.text, (text) => Effect.succeed(text)))
      assert.strictEqual(cut._tag, "ResponseError")
    }).pipe(Effect.provide(UndiciHttpClient.layer)))

  it.scopedLive("releasing the layer destroys its kept-alive sockets: nothing is left open", () =>
    Effect.gen(function*() {
      const server = yield* serve
      const before = activeResources()
      const scope = yield* Scope.make()
      const http = yield* Effect.provide(client, yield* Layer.buildWithScope(UndiciHttpClient.layer, scope))
      yield* Effect.all(
        Array.from({ length: 8 }, () => Effect.flatMap(http.get(`${server.url}/big`), (r) => r.arrayBuffer)),
        { concurrency: 8 }
      )
      assert.isAbove(server.open(), 0, "kept alive while the layer lives")
      yield* Scope.close(scope, Exit.void)
      yield* eventually(() => server.open() === 0, "the server saw every connection close")
      assert.deepStrictEqual(yield* settleResources(before), {})
    }))

  it.live("undici is loaded when the layer is built, not when the package is imported", () =>
    Effect.gen(function*() {
      // in a fresh process: the package's sources through tsx, as the tests see them
      const script = `
        import { createRequire } from "node:module"
        import * as Effect from "effect/Effect"
        import * as Layer from "effect/Layer"
        const { UndiciHttpClient } = await import("@effect-apify/api")
        const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("/undici/"))
        const before = loaded()
        await Effect.runPromise(Effect.scoped(Layer.build(UndiciHttpClient.layer)))
        console.log(JSON.stringify({ before, after: loaded() }))
      `
      const output = yield* Effect.async<string, Error>((resume) => {
        const child = execFile(
          process.execPath,
          ["--import", "tsx", "--conditions=@effect-apify/source", "--input-type=module", "-e", script],
          { cwd: Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), ".."), timeout: 20_000 },
          (error, stdout) => resume(error === null ? Effect.succeed(stdout) : Effect.fail(error))
        )
        return Effect.sync(() => child.kill())
      })
      assert.deepStrictEqual(JSON.parse(output), { before: false, after: true })
    }), 30_000)
})
