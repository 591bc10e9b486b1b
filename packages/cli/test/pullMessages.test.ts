// What `versions pull` says when DIR or the tarball URL is wrong (found by an outside attack),
// through the built executable against the loopback emulator and a loopback server for the
// tarball: a dangling link as DIR is named before anything is downloaded; a redirect to a
// file: URL is a refusal (exit 2), not "cannot reach the API"; a 403 from where a redirect led
// names that URL (without its signature) with a hint about an expired signature, not the token;
// a URL that is not http(s) is shown without its query; and diff's zip refusals do not say
// "nothing was written", which only pull does.
import { strToU8 } from "fflate"
import * as fs from "node:fs"
import * as http from "node:http"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, makeHome, ownerToken, startEmulator, tempDir } from "./helpers.js"
import { buildZip } from "./zipBytes.js"

describe("versions pull's messages about DIR and the tarball URL", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let env: Record<string, string>
  let server: http.Server
  let port = 0
  const requests: Array<string> = []
  const home = makeHome({})
  const actor = "owner~pull-messages"
  let next = 0
  const hostile = buildZip([{ name: "ok.txt", data: strToU8("ok") }, { name: "../escape.txt", data: strToU8("x") }])

  const create = async (tarballUrl: string) => {
    const versionNumber = `1.${next++}`
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.request(`${emulator.url}/v2/acts/${actor}/versions`, {
        method: "POST",
        agent: false,
        headers: { authorization: `Bearer ${ownerToken}`, "content-type": "application/json" }
      }, (response) => {
        response.resume()
        response.on("end", () => resolve(response.statusCode))
      })
      request.on("error", reject)
      request.end(JSON.stringify({ versionNumber, sourceType: "TARBALL", tarballUrl }))
    })
    expect(status).toBe(201)
    return versionNumber
  }
  const pull = async (tarballUrl: string, target?: string) => {
    const outside = tempDir()
    const result = await cli(
      [
        "versions",
        "pull",
        actor,
        await create(tarballUrl),
        target ?? path.join(outside, "inner"),
        "--max-retries",
        "0"
      ],
      { env, home }
    )
    return { result, outside }
  }

  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: false })
    env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
    expect((await cli(["actors", "create", "pull-messages"], { env, home })).code).toBe(0)
    server = http.createServer((req, res) => {
      requests.push(req.url ?? "")
      const answer = (status: number, headers: Record<string, string> = {}, body: Uint8Array = new Uint8Array(0)) => {
        res.writeHead(status, { connection: "close", "content-length": String(body.length), ...headers })
        res.end(body)
      }
      if (req.url === "/ok.zip") return answer(200, {}, buildZip([{ name: "a.txt", data: strToU8("a") }]))
      if (req.url === "/hostile.zip") return answer(200, {}, hostile)
      if (req.url === "/to-file.zip") return answer(302, { location: "file:///etc/passwd" })
      // as a store sends a reader to a signed URL on another host, whose signature has expired
      if (req.url === "/to-storage.zip") {
        return answer(302, { location: `http://localhost:${port}/storage/v.zip?signature=EXPIREDSIG` })
      }
      if (req.url?.startsWith("/storage/") === true) return answer(403)
      answer(404)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    port = (server.address() as { port: number }).port
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await emulator.close()
  })

  it("a dangling link as DIR is named before anything is downloaded", async () => {
    const parent = tempDir()
    const link = path.join(parent, "dangling")
    fs.symlinkSync(path.join(parent, "nowhere"), link)
    requests.length = 0
    const { result } = await pull(`http://127.0.0.1:${port}/ok.zip`, link)
    expect(result.stderr).toContain(
      `${link} is a dangling symbolic link (to ${
        path.join(parent, "nowhere")
      }: it does not exist). Hint: make the folder it points to, or give the directory to pull into`
    )
    expect(result.code).toBe(2)
    expect(requests).toEqual([])
    expect(fs.readdirSync(parent)).toEqual(["dangling"])
  })

  it("a redirect to a file: URL is refused, exit 2, not an unreachable API", async () => {
    const { outside, result } = await pull(`http://127.0.0.1:${port}/to-file.zip`)
    expect(result.stderr).toContain(
      `the tarball URL http://127.0.0.1:${port}/to-file.zip answered with a redirect to a file: URL, which is not followed.`
    )
    expect(result.stderr).not.toContain("cannot reach the API")
    expect(result.code).toBe(2)
    expect(fs.readdirSync(outside)).toEqual([])
  })

  it("a 403 from where a redirect led names that URL, without its signature, and an expired signature", async () => {
    const { outside, result } = await pull(`http://127.0.0.1:${port}/to-storage.zip`)
    expect(result.stderr).toContain(
      `the tarball URL http://127.0.0.1:${port}/to-storage.zip was redirected to http://localhost:${port}/storage/v.zip, which answered 403. Hint: the signed URL it was redirected to may have expired or be invalid`
    )
    expect(result.stderr).not.toContain("EXPIREDSIG")
    expect(result.stderr).not.toContain("private key-value store")
    expect(result.code).toBe(2)
    expect(fs.readdirSync(outside)).toEqual([])
  })

  it("a tarball URL that is not http(s) is shown without its query, fragment or password", async () => {
    const { result } = await pull("ftp://user:FTPPASSWORD@ftp.example/a.zip?signature=FTPSECRET#x")
    expect(result.stderr).toContain("the tarball URL ftp://ftp.example/a.zip is not an http(s) URL")
    expect(result.stderr).not.toMatch(/FTPSECRET|FTPPASSWORD|signature/)
    expect(result.code).toBe(2)
  })

  it("a refused zip: pull says nothing was written, diff does not", async () => {
    const versionNumber = await create(`http://127.0.0.1:${port}/hostile.zip`)
    const pulled = await cli(["versions", "pull", actor, versionNumber, path.join(tempDir(), "inner")], { env, home })
    expect(pulled.stderr).toContain("(it leads out of the directory (a .. part))")
    expect(pulled.stderr).toMatch(/nothing was written\.\n$/)
    expect(pulled.code).toBe(2)
    const diffed = await cli(["versions", "diff", actor, versionNumber, tempDir()], { env, home })
    expect(diffed.stderr).toContain("(it leads out of the directory (a .. part))")
    expect(diffed.stderr).not.toContain("nothing was written")
    expect(diffed.code).toBe(2)
  })
})
