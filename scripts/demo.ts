/**
 * `pnpm demo`: starts the Apify API emulator on a free loopback port with the real
 * `effect-apify` executable, runs a scripted session through it, printing each command and
 * its output, and stops the emulator. The session creates an Actor, pushes the sample Actor
 * (with a secret from ~/.apify/secrets.json), then runs the deploy loop on a temporary copy:
 * push, push again (skipped as unchanged), edit a file, `--plan`, push with `--build`, read the
 * build log, pull the version into a new directory and diff it; then a secret env var, the
 * error a bad version number gets, and deleting a version.
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
const sample = path.join(root, "examples", "sample-actor")

if (!fs.existsSync(bin)) {
  console.error(`${bin} is missing; build it with: pnpm --filter @effect-apify/cli build`)
  process.exit(1)
}

// A throwaway home directory, also the session's working directory: the secret that
// .actor/actor.json refers to as @helloApiKey lives in ~/.apify/secrets.json, as with Apify's
// own CLI.
const home = fs.mkdtempSync(path.join(os.tmpdir(), "effect-apify-demo-"))
fs.mkdirSync(path.join(home, ".apify"))
fs.writeFileSync(path.join(home, ".apify", "secrets.json"), JSON.stringify({ helloApiKey: "demo-api-key-value" }))

const bold = (text: string) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[0m` : text)
const dim = (text: string) => (process.stdout.isTTY ? `\u001b[2m${text}\u001b[0m` : text)

const emulator = spawn(process.execPath, [bin, "emulator", "--port", "0"], {
  env: { ...process.env, HOME: home },
  stdio: ["ignore", "pipe", "inherit"]
})
const exited = new Promise<void>((resolve) => emulator.on("exit", () => resolve()))

const stop = async () => {
  if (emulator.exitCode === null && emulator.signalCode === null) emulator.kill("SIGINT")
  await exited
  fs.rmSync(home, { recursive: true, force: true })
  console.log(dim("# Emulator stopped."))
}

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
}).catch(async (error: unknown) => {
  await stop()
  throw error
})
const [url, tokenLine] = banner
const token = (tokenLine ?? "").replace(/^token: /, "")

console.log(bold(`$ effect-apify emulator --port 0 &`))
console.log(banner.join("\n"))
console.log(dim(`\n# The session below runs in ${home}`))
console.log(dim(`# with APIFY_API_BASE_URL=${url} and APIFY_TOKEN=<the emulator's token>.\n`))

const env = { ...process.env, HOME: home, APIFY_API_BASE_URL: url ?? "", APIFY_TOKEN: token }
let failures = 0

const quote = (a: string) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)

const step = (comment: string, args: ReadonlyArray<string>, expectedCode = 0) => {
  console.log(dim(`# ${comment}`))
  // A secret typed on the command line is shown masked, as the CLI itself never prints it.
  const shown = args.includes("--secret") ? args.map((a) => a.replace(/^([^=-][^=]*)=.*$/, "$1=********")) : args
  console.log(bold(`$ effect-apify ${shown.map(quote).join(" ")}`))
  // stdout and stderr share one file, so that the output reads in the order it was written.
  const outputPath = path.join(home, ".output")
  const fd = fs.openSync(outputPath, "w")
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: home, env, stdio: ["ignore", fd, fd] })
  fs.closeSync(fd)
  const output = fs.readFileSync(outputPath, "utf8")
  fs.rmSync(outputPath)
  process.stdout.write(output)
  if (result.status !== 0) console.log(dim(`(exit code ${result.status})`))
  if (result.status !== expectedCode) failures++
  console.log("")
  return output
}

/** A directory's files (recursively, sorted, dot entries included), as `find DIR -type f | sort` lists them. */
const listFiles = (dir: string): ReadonlyArray<string> =>
  fs
    .readdirSync(path.join(home, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(home, path.join(entry.parentPath, entry.name)))
    .sort()

const actor = "owner/hello-effect"
const copy = "hello-effect"
const pulled = "pulled"
const push = (...more: ReadonlyArray<string>) => ["versions", "push", actor, copy, "--version-number", "0.2", ...more]

try {
  step("Create an Actor", ["actors", "create", "hello-effect", "--title", "Hello from effect-apify"])
  step(
    "Push the sample Actor: files by the .gitignore/.actorignore rules, version and env vars from .actor/actor.json",
    ["versions", "push", actor, sample]
  )

  // A secret's value cannot be read back, so a version with one is always sent again: the
  // deploy loop runs on a copy whose actor.json keeps GREETING only.
  fs.cpSync(sample, path.join(home, copy), { recursive: true })
  const manifestPath = path.join(home, copy, ".actor", "actor.json")
  const manifest: { environmentVariables?: Record<string, string> } = JSON.parse(fs.readFileSync(manifestPath, "utf8"))
  delete manifest.environmentVariables?.API_KEY
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n")
  console.log(dim(`# The deploy loop, on a copy of the sample whose actor.json has no secret env var`))
  console.log(bold(`$ cp -r ${sample} ${copy}  # and drop API_KEY from ${copy}/.actor/actor.json\n`))

  step("Push the copy as version 0.2", push())
  step("Push it again: nothing changed, nothing is sent", push())

  const mainPath = path.join(home, copy, "src", "main.js")
  fs.appendFileSync(mainPath, `console.log("Pushed by effect-apify")\n`)
  console.log(dim("# Edit one file"))
  console.log(bold(`$ echo 'console.log("Pushed by effect-apify")' >> ${copy}/src/main.js\n`))

  step("What would a push change? (nothing sent)", push("--plan"))
  const built = step("Push it and build it: the exit code tells the build's status", push("--build"))
  const buildId = /Started build \S+ \((\w+)\)/.exec(built)?.[1]
  if (buildId === undefined) failures++
  else step("The build's log", ["builds", "log", buildId])

  step("Pull version 0.2 into a new directory", ["versions", "pull", actor, "0.2", pulled])
  console.log(bold(`$ find ${pulled} -type f | sort`))
  console.log(listFiles(pulled).join("\n") + "\n")
  step("The pulled files are the version's files", ["versions", "diff", actor, "0.2", pulled])

  step("List the versions", ["versions", "list", actor])
  step("Set a secret environment variable", [
    "env",
    "set",
    actor,
    "0.1",
    "DATABASE_PASSWORD=correct-horse-battery-staple",
    "--secret"
  ])
  step("List the environment variables (secret values are never shown)", ["env", "list", actor, "0.1"])
  step("A bad version number gets a clear error and exit code 2", ["versions", "get", actor, "1.0.0"], 2)
  step("Delete a version", ["versions", "delete", actor, "0.1"])
  step("What is left", ["versions", "list", actor])
} finally {
  await stop()
}

if (failures > 0) {
  console.error(`${failures} step(s) did not end as expected`)
  process.exit(1)
}
