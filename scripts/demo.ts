/**
 * `pnpm demo`: starts the Apify API emulator on a free loopback port with the real
 * `effect-apify` executable, runs a scripted session through it (create an Actor, push the
 * sample Actor, list and get versions, set a secret env var, update to a Git source, show
 * the error a bad version number gets, delete a version), printing each command and its
 * output, and stops the emulator.
 *
 * The root `demo` script builds the executable first (`packages/cli/dist/bin.cjs`).
 */
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const bin = path.join(root, "packages", "cli", "dist", "bin.cjs")
const sample = path.relative(process.cwd(), path.join(root, "examples", "sample-actor")) || "."

if (!fs.existsSync(bin)) {
  console.error(`${bin} is missing; build it with: pnpm --filter @effect-apify/cli build`)
  process.exit(1)
}

// A throwaway home directory: the secret that .actor/actor.json refers to as @helloApiKey
// lives in ~/.apify/secrets.json, as with Apify's own CLI.
const home = fs.mkdtempSync(path.join(os.tmpdir(), "effect-apify-demo-"))
fs.mkdirSync(path.join(home, ".apify"))
fs.writeFileSync(path.join(home, ".apify", "secrets.json"), JSON.stringify({ helloApiKey: "demo-api-key-value" }))

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text)
const dim = (text: string) => (process.stdout.isTTY ? `\u001b[2m${text}\u001b[0m` : text)

const emulator = spawn(process.execPath, [bin, "emulator", "--port", "0"], {
  env: { ...process.env, HOME: home },
  stdio: ["ignore", "pipe", "inherit"]
})

const banner = await new Promise<ReadonlyArray<string>>((resolve, reject) => {
  const lines: Array<string> = []
  const reader = createInterface({ input: emulator.stdout })
  reader.on("line", (line) => {
    lines.push(line)
    if (lines.length === 3) {
      reader.close()
      resolve(lines)
    }
  })
  emulator.on("exit", (code) => reject(new Error(`the emulator exited early (code ${code})`)))
})
const [url, tokenLine] = banner
const token = (tokenLine ?? "").replace(/^token: /, "")

console.log(bold(`$ effect-apify emulator --port 0 &`))
console.log(banner.join("\n"))
console.log(dim(`\n# The session below uses APIFY_API_BASE_URL=${url} and APIFY_TOKEN=<the emulator's token>.\n`))

const env = { ...process.env, HOME: home, APIFY_API_BASE_URL: url ?? "", APIFY_TOKEN: token }
let failures = 0

const step = (comment: string, args: ReadonlyArray<string>, expectedCode = 0) => {
  console.log(dim(`# ${comment}`))
  // A secret typed on the command line is shown masked, as the CLI itself never prints it.
  const shown = args.includes("--secret") ? args.map((a) => a.replace(/^([^=-][^=]*)=.*$/, "$1=********")) : args
  console.log(bold(`$ effect-apify ${shown.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ")}`))
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: "utf8" })
  if (result.stdout) process.stdout.write(result.stdout)
  if (result.stderr) process.stdout.write(result.stderr)
  if (result.status !== 0) console.log(dim(`(exit code ${result.status})`))
  if (result.status !== expectedCode) failures++
  console.log("")
}

try {
  step("Create an Actor", ["actors", "create", "hello-effect", "--title", "Hello from effect-apify"])
  step(
    "Push the sample Actor: files by the .gitignore/.actorignore rules, version and env vars from .actor/actor.json",
    ["versions", "push", "owner/hello-effect", sample]
  )
  step("A second version, built from a tarball", [
    "versions",
    "create",
    "owner/hello-effect",
    "0.2",
    "--tarball",
    "https://example.com/hello-effect.zip",
    "--build-tag",
    "beta"
  ])
  step("List the versions", ["versions", "list", "owner/hello-effect"])
  step("Get one version (secret values are never shown)", ["versions", "get", "owner/hello-effect", "0.1"])
  step("Set a secret environment variable", [
    "env",
    "set",
    "owner/hello-effect",
    "0.1",
    "DATABASE_PASSWORD=correct-horse-battery-staple",
    "--secret"
  ])
  step("List the environment variables", ["env", "list", "owner/hello-effect", "0.1"])
  step("Switch version 0.1 to a Git source (only the given fields change)", [
    "versions",
    "update",
    "owner/hello-effect",
    "0.1",
    "--git-repo",
    "https://github.com/apify/actor-templates#master:templates/js-start"
  ])
  step("JSON for scripts: exactly the records, nothing else on stdout", [
    "env",
    "list",
    "owner/hello-effect",
    "0.1",
    "--json"
  ])
  step("A bad version number gets a clear error and exit code 2", ["versions", "get", "owner/hello-effect", "1.0.0"], 2)
  step("Delete a version", ["versions", "delete", "owner/hello-effect", "0.2"])
  step("What is left", ["versions", "list", "owner/hello-effect"])
} finally {
  const exited = new Promise<void>((resolve) => emulator.on("exit", () => resolve()))
  emulator.kill("SIGINT")
  await exited
  fs.rmSync(home, { recursive: true, force: true })
  console.log(dim("# Emulator stopped."))
}

if (failures > 0) {
  console.error(`${failures} step(s) did not end as expected`)
  process.exit(1)
}
