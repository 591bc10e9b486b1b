// `builds create`, `builds log` and `versions push --build` through the binary against a
// loopback API that does not behave (an outside attack's findings): a log kept open after the
// build ended, a server that answers a wait at once, a lost connection while waiting, Ctrl-C
// while the build is being started, and a log read by a slow reader.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterEach, describe, expect, it } from "vitest"
import { bin, cli, emptyHome, ownerToken, startEmulator, tempDir, writeTree } from "./helpers.js"

interface Seen {
  readonly method: string
  readonly path: string
}

const servers: Array<http.Server> = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

const buildId = "BuildIdAAAAAAAAAA"

const build = (status: string, finished = false) => ({
  data: {
    id: buildId,
    actId: "ActIdAAAAAAAAAAAA",
    status,
    buildNumber: "0.1.1",
    startedAt: "2026-01-01T00:00:00.000Z",
    ...(finished ? { finishedAt: "2026-01-01T00:01:00.000Z" } : {})
  }
})

const json = (response: http.ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { "content-type": "application/json" })
  response.end(JSON.stringify(body))
}

const text = (response: http.ServerResponse) => response.writeHead(200, { "content-type": "text/plain; charset=utf-8" })

/**
 * A loopback API: `route` answers first (it returns after answering); builds start, builds
 * end SUCCEEDED, logs are one line, and push's reads and writes work unless it does.
 */
const serve = async (
  route: (path: string, request: http.IncomingMessage, response: http.ServerResponse) => boolean
) => {
  const seen: Array<Seen> = []
  const server = http.createServer((request, response) => {
    const path = new URL(request.url!, "http://x").pathname
    seen.push({ method: request.method!, path: request.url! })
    const body: Array<Buffer> = []
    request.on("data", (piece: Buffer) => body.push(piece))
    request.on("end", () => {
      if (route(path, request, response)) return
      if (request.method === "POST" && path.endsWith("/builds")) return json(response, 201, build("READY"))
      if (path.endsWith("/abort")) return json(response, 200, build("ABORTED", true))
      if (path.startsWith("/v2/actor-builds/")) return json(response, 200, build("SUCCEEDED", true))
      if (path.startsWith("/v2/logs/")) return text(response), response.end("normal log\n")
      if (path === "/v2/acts/owner~qa") {
        return json(response, 200, { data: { id: "ActIdAAAAAAAAAAAA", name: "qa", username: "owner" } })
      }
      if (request.method === "GET" && path.includes("/versions/")) {
        return json(response, 404, { error: { type: "record-not-found", message: "Actor version was not found" } })
      }
      if (request.method === "POST" && path.endsWith("/versions")) {
        return json(response, 201, { data: JSON.parse(Buffer.concat(body).toString()) })
      }
      json(response, 404, { error: { type: "page-not-found", message: "nope" } })
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }
}

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly millis: number
}

/** Runs the binary; SIGINT once `interrupt` says so (given stderr so far), SIGKILL after `limit` ms. */
const run = (
  url: string,
  args: ReadonlyArray<string>,
  options: { readonly limit?: number; readonly interrupt?: (stderr: string) => boolean } = {}
) =>
  new Promise<Run>((resolve, reject) => {
    const started = Date.now()
    const child = spawn(process.execPath, [bin, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: emptyHome(),
        APIFY_TOKEN: "apify_api_hostiletest",
        APIFY_API_BASE_URL: url
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    const killer = setTimeout(() => child.kill("SIGKILL"), options.limit ?? 20_000)
    let stdout = ""
    let stderr = ""
    let signalled = false
    const ticker = setInterval(() => {
      if (signalled || options.interrupt?.(stderr) !== true) return
      signalled = true
      child.kill("SIGINT")
    }, 50)
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(killer)
      clearInterval(ticker)
      resolve({ code, stdout, stderr, millis: Date.now() - started })
    })
  })

describe("a build that ended while its log stays open", () => {
  it("a log that goes quiet: exit by the build's status after a short grace, saying the log was left", async () => {
    const api = await serve((path, _, response) => {
      if (!path.startsWith("/v2/logs/")) return false
      text(response)
      response.write("first line then silence\n")
      return true
    })
    const result = await run(api.url, ["builds", "create", "owner~qa", "0.1", "--log"], { limit: 15_000 })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/\nstatus: +SUCCEEDED\n/)
    expect(result.stderr).toContain("first line then silence\n")
    expect(result.stderr).toContain(
      `The API kept the log open 3 s after the build ended: stopped reading it (\`effect-apify builds log ${buildId}\` prints it).`
    )
    expect(result.millis).toBeLessThan(10_000)
  })

  it("a log that never ends: versions push --build exits too", async () => {
    const api = await serve((path, _, response) => {
      if (!path.startsWith("/v2/logs/")) return false
      text(response)
      const timer = setInterval(() => response.write(`line ${Date.now()}\n`), 10)
      response.on("close", () => clearInterval(timer))
      return true
    })
    const dir = writeTree(tempDir(), { "main.js": "console.log('hi')\n" })
    const result = await run(api.url, [
      "versions",
      "push",
      "owner~qa",
      dir,
      "--version-number",
      "0.1",
      "--build",
      "--log"
    ], {
      limit: 15_000
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/\nstatus: +SUCCEEDED\n/)
    expect(result.stderr).toMatch(/\nline \d+\n/)
    expect(result.stderr).toContain("The API kept the log open 3 s after the build ended")
  })
})

describe("waiting", () => {
  it("a server that answers RUNNING at once is read about once a second, not in a loop", async () => {
    const api = await serve((path, _, response) => {
      if (!path.startsWith("/v2/actor-builds/")) return false
      json(response, 200, build("RUNNING"))
      return true
    })
    let startedAt = 0
    const result = await run(api.url, ["builds", "create", "owner~qa", "0.1"], {
      interrupt: (stderr) => {
        if (startedAt === 0 && stderr.includes("Started build")) startedAt = Date.now()
        return startedAt > 0 && Date.now() - startedAt > 2700
      }
    })
    expect(result.code).toBe(130)
    const reads = api.seen.filter((s) => s.path.startsWith("/v2/actor-builds/")).length
    // at 0, 1 and 2.5 s
    expect(reads).toBeGreaterThanOrEqual(2)
    expect(reads).toBeLessThanOrEqual(4)
    expect(result.stderr).toContain(
      `Interrupted: build ${buildId} goes on (\`effect-apify builds get ${buildId}\` shows it).`
    )
  })

  it("a connection lost while waiting names the build and says it may still be running", async () => {
    const api = await serve((path, request) => {
      if (!path.startsWith("/v2/actor-builds/")) return false
      request.socket.destroy()
      return true
    })
    const result = await run(api.url, ["builds", "create", "owner~qa", "0.1", "--max-retries", "0"])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `Error: wait for build ${buildId} of version 0.1 of owner~qa failed: cannot reach the API:`
    )
    expect(result.stderr).toContain(
      `\nThe build may still be running: \`effect-apify builds get ${buildId}\` shows it.\n`
    )
  })
})

describe("Ctrl-C while the build is being started", () => {
  // The start is answered 1.5 s after it arrives; Ctrl-C comes 300 ms after it arrived.
  const slowStart = async () => {
    let arrived = 0
    const api = await serve((path, request, response) => {
      if (request.method !== "POST" || !path.endsWith("/builds")) return false
      arrived = Date.now()
      setTimeout(() => json(response, 201, build("READY")), 1500)
      return true
    })
    return { ...api, interrupt: () => arrived > 0 && Date.now() - arrived > 300 }
  }

  it("with --abort-on-interrupt the API's answer is awaited and the build it started aborted", async () => {
    const api = await slowStart()
    const result = await run(api.url, ["builds", "create", "owner~qa", "0.1", "--abort-on-interrupt"], api)
    expect(result.code).toBe(130)
    expect(api.seen.some((s) => s.method === "POST" && s.path === `/v2/actor-builds/${buildId}/abort`)).toBe(true)
    expect(result.stderr).toContain(
      `Aborted build ${buildId} of version 0.1 of owner~qa, started as you interrupted.`
    )
  })

  it("without it, the start is cut short and the build said to be maybe started, not aborted", async () => {
    const api = await slowStart()
    const result = await run(api.url, ["builds", "create", "owner~qa", "0.1"], api)
    expect(result.code).toBe(130)
    expect(api.seen.some((s) => s.path.endsWith("/abort"))).toBe(false)
    expect(result.stderr).toContain(
      "Interrupted before the API answered: a build of version 0.1 of owner~qa may have started; it was not aborted."
    )
  })
})

describe("builds log into a slow reader", () => {
  it("reads the log only as fast as it is written: memory stays bounded, every byte arrives", async () => {
    const size = 64 * 1024 * 1024
    const api = await serve((path, _, response) => {
      if (!path.startsWith("/v2/logs/")) return false
      text(response)
      const piece = Buffer.alloc(1024 * 1024, 0x41)
      piece[piece.length - 1] = 10
      let sent = 0
      const more = () => {
        while (sent < size) {
          sent += piece.length
          if (!response.write(piece)) return response.once("drain", more)
        }
        response.end()
      }
      more()
      return true
    })
    const child = spawn(process.execPath, [bin, "builds", "log", buildId], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: emptyHome(),
        APIFY_TOKEN: "apify_api_hostiletest",
        APIFY_API_BASE_URL: api.url
      },
      stdio: ["ignore", "pipe", "ignore"]
    })
    try {
      child.stdout.pause()
      await new Promise((resolve) => setTimeout(resolve, 2500))
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8")
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024
      let received = 0
      child.stdout.on("data", (chunk: Buffer) => (received += chunk.length))
      child.stdout.resume()
      const code = await new Promise((resolve) => child.on("close", resolve))
      expect(code).toBe(0)
      expect(received).toBe(size)
      // the whole log held in memory was 170+ MB
      expect(rss).toBeLessThan(130)
    } finally {
      child.kill("SIGKILL")
    }
  })
})

describe("flags that make no sense together", () => {
  const refused: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
    [["versions", "push", "owner~qa", ".", "--plan", "--build"], "--plan and --build cannot be used together"],
    [["versions", "push", "owner~qa", ".", "--plan", "--dry-run"], "--plan and --dry-run cannot be used together"],
    [["versions", "push", "owner~qa", ".", "--dry-run", "--build"], "--dry-run and --build cannot be used together"],
    [["versions", "push", "owner~qa", ".", "--log"], "--log applies only with --build"],
    [["versions", "push", "owner~qa", ".", "--abort-on-interrupt"], "--abort-on-interrupt applies only with --build"],
    [["builds", "create", "owner~qa", "0.1", "--no-wait", "--log"], "--no-wait and --log cannot be used together"],
    [
      ["builds", "create", "owner~qa", "0.1", "--no-wait", "--abort-on-interrupt"],
      "--no-wait and --abort-on-interrupt cannot be used together"
    ],
    [["builds", "log", buildId, "--json"], "--json does not apply to this command: a log is text"]
  ]
  it("are refused with exit 2 naming both, before anything is sent", async () => {
    const api = await serve(() => false)
    for (const [args, message] of refused) {
      const result = await run(api.url, args)
      expect({ args, code: result.code }).toEqual({ args, code: 2 })
      expect(result.stderr).toContain(`Error: ${message}`)
      expect(result.stderr).toContain(`Hint: see \`effect-apify ${args[0]} ${args[1]} --help\`.`)
    }
    expect(api.seen).toEqual([])
  })
})

describe("a build start whose answer is lost", () => {
  it("is not sent again: one build started, the report says one may have started", async () => {
    const emulator = await startEmulator({ buildMillis: 300 })
    try {
      const env = { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: ownerToken }
      const home = emptyHome()
      expect((await cli(["actors", "create", "lost-start"], { env, home })).code).toBe(0)
      const dir = writeTree(tempDir(), { "main.js": "console.log('hi')\n" })
      expect((await cli(["versions", "push", "owner~lost-start", dir, "--version-number", "0.1"], { env, home })).code)
        .toBe(0)
      await emulator.run(emulator.server.emulator.setFaults({ commitThenFail: { probability: 1, times: 1 } }))
      const lost = await cli(["builds", "create", "owner~lost-start", "0.1", "--no-wait"], { env, home })
      expect(lost.code).toBe(1)
      expect(lost.stderr).toContain(
        "The API may have started a build of version 0.1 of owner~lost-start before the failure; " +
          "the start was not sent again, so as not to start a second build."
      )
      const next = await cli(["builds", "create", "owner~lost-start", "0.1", "--no-wait", "--json"], { env, home })
      expect(next.code).toBe(0)
      // the lost start made build 0.1.1, and no other
      expect(JSON.parse(next.stdout).buildNumber).toBe("0.1.2")
    } finally {
      await emulator.close()
    }
  })
})
