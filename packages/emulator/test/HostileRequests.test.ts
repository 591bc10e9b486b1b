/**
 * Requests a browser or the client would never send, on loopback with raw sockets (issue 11):
 * a forged Host header, absolute-form targets, and bodies nested deeper than an answer can be.
 */
import { Limits } from "@effect-apify/domain"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Net from "node:net"
import { Emulator } from "../src/index.js"

interface RawAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Sends `head` and `body` as they are over one connection and reads the whole answer. */
const raw = (port: number, head: string, body = ""): Effect.Effect<RawAnswer> =>
  Effect.async<RawAnswer>((resume) => {
    const socket = Net.connect({ host: "127.0.0.1", port })
    const chunks: Array<Buffer> = []
    socket.on("data", (chunk) => chunks.push(chunk))
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8")
      const [top = "", ...rest] = text.split("\r\n\r\n")
      const [status = "", ...lines] = top.split("\r\n")
      const headers = Object.fromEntries(lines.map((line) => {
        const i = line.indexOf(":")
        return [line.slice(0, i).toLowerCase(), line.slice(i + 1).trim()]
      }))
      resume(Effect.succeed({ status: Number(status.split(" ")[1]), headers, body: rest.join("\r\n\r\n") }))
    })
    socket.write(`${head}\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
    return Effect.sync(() => socket.destroy())
  })

const token = Emulator.defaultUsers[0].token

const create = (port: number, host: string, body: string) =>
  raw(
    port,
    `POST /v2/acts HTTP/1.1\r\nhost: ${host}\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json`,
    body
  )

describe("hostile requests on loopback (issue 11)", () => {
  it.scoped("Location is the server's own URL, not the Host header the client sent", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.serve({ rateLimit: false })
      const answer = yield* create(server.port, "evil.example:666", JSON.stringify({ name: "my-actor" }))
      expect(answer.status).toBe(201)
      expect(answer.headers.location).toMatch(new RegExp(`^${server.url}/v2/acts/[A-Za-z0-9]{17}$`))
      expect(answer.body).not.toContain("evil.example")
    }))

  it.scoped("an absolute-form target is answered as its path, and its authority is not reflected", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.serve({ rateLimit: false })
      yield* server.emulator.seedActor({ name: "my-actor" })
      const get = yield* raw(
        server.port,
        `GET ${server.url}/v2/acts/owner~my-actor HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\nauthorization: Bearer ${token}`
      )
      expect(get.status).toBe(200)
      expect(JSON.parse(get.body)).toMatchObject({ data: { name: "my-actor", username: "owner" } })
      const post = yield* raw(
        server.port,
        `POST http://evil.example/v2/acts?x=1 HTTP/1.1\r\nhost: evil.example\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json`,
        JSON.stringify({ name: "other-actor" })
      )
      expect(post.status).toBe(201)
      expect(post.headers.location).toMatch(new RegExp(`^${server.url}/v2/acts/`))
      const log = yield* server.emulator.requestLog
      expect(log.map((r) => [r.method, r.path, r.status])).toEqual([
        ["GET", "/v2/acts/owner~my-actor", 200],
        ["POST", "/v2/acts", 201]
      ])
    }))

  it.scoped("a body nested deeper than an answer can hold is refused with 400 and nothing is stored", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.serve({ rateLimit: false })
      const deep = (depth: number) =>
        `{"name":"my-actor","pricingInfos":[{"pricingModel":"FREE","x":${"[".repeat(depth)}${"]".repeat(depth)}}]}`
      const answer = yield* create(server.port, "127.0.0.1", deep(20_000))
      expect(answer.status).toBe(400)
      expect(JSON.parse(answer.body)).toEqual({
        error: {
          type: "invalid-input",
          message:
            `The request body nests arrays and objects deeper than ${Limits.maxRequestDepth} levels; nothing was stored.`
        }
      })
      expect((yield* server.emulator.snapshot).actors).toEqual([])
      // at the limit it is stored, and every read of it is answered
      const atLimit = yield* create(server.port, "127.0.0.1", deep(Limits.maxRequestDepth - 3))
      expect(atLimit.status).toBe(201)
      const read = yield* raw(
        server.port,
        `GET /v2/acts/owner~my-actor HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}`
      )
      expect(read.status).toBe(200)
    }))
})
