import { Emulator } from "@effect-apify/emulator"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.cjs")
export const ownerToken = Emulator.defaultUsers[0].token
export const strangerToken = Emulator.defaultUsers[1].token

export interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built executable with a clean environment (own HOME, no APIFY_* variables). */
export const cli = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly home?: string } = {}
): Promise<Result> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: options.home ?? emptyHome(),
      ...options.env
    }
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

let empty: string | undefined
/** A home directory without ~/.apify. */
export const emptyHome = (): string => (empty ??= fs.mkdtempSync(path.join(os.tmpdir(), "effect-apify-home-")))

/** A home directory with ~/.apify/auth.json and secrets.json. */
export const makeHome = (files: { readonly auth?: unknown; readonly secrets?: unknown }): string => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "effect-apify-home-"))
  fs.mkdirSync(path.join(home, ".apify"))
  if (files.auth !== undefined) fs.writeFileSync(path.join(home, ".apify", "auth.json"), JSON.stringify(files.auth))
  if (files.secrets !== undefined) {
    fs.writeFileSync(path.join(home, ".apify", "secrets.json"), JSON.stringify(files.secrets))
  }
  return home
}

/** A loopback emulator for the duration of a test file. */
export const startEmulator = async (options: Emulator.ServeOptions = {}) => {
  const scope = Effect.runSync(Scope.make())
  const server = await Effect.runPromise(Scope.extend(Emulator.serve({ port: 0, ...options }), scope))
  return {
    server,
    url: server.url,
    run: <A>(effect: Effect.Effect<A>) => Effect.runPromise(effect),
    close: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

/** Writes a directory tree: paths to contents (string or bytes). */
export const writeTree = (root: string, files: Record<string, string | Uint8Array>): string => {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
  }
  return root
}

export const tempDir = (prefix = "effect-apify-test-"): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix))

/** Creates a version straight through the emulator's API (as the owner) and gives the answer's status. */
export const postVersion = (emulatorUrl: string, actor: string, body: unknown): Promise<number | undefined> =>
  new Promise((resolve, reject) => {
    const request = http.request(`${emulatorUrl}/v2/acts/${actor}/versions`, {
      method: "POST",
      agent: false,
      headers: { authorization: `Bearer ${ownerToken}`, "content-type": "application/json" }
    }, (response) => {
      response.resume()
      response.on("end", () => resolve(response.statusCode))
    })
    request.on("error", reject)
    request.end(JSON.stringify(body))
  })
