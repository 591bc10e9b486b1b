/**
 * Start-up benchmark of the `effect-apify` executable.
 *
 * Runs, interleaved and one at a time, `node -e 0` (the floor), `effect-apify --help`,
 * `effect-apify versions get` against a loopback emulator, and the same two without the V8
 * code cache, and prints each median as milliseconds and as a ratio to `node -e 0` in the
 * same run. Then the peak memory (max RSS) of each, read with `process.resourceUsage()` in
 * the child at exit. Target: `--help` at most 3x `node -e 0`.
 *
 * Usage: `tsx bench/cli.ts [--runs N]` (builds packages/cli/dist when it is missing).
 */
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const cliDir = path.join(root, "packages", "cli")
const bin = path.join(cliDir, "dist", "bin.cjs")
const runsArg = process.argv.indexOf("--runs")
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 21

if (!fs.existsSync(bin)) {
  spawnSync(process.execPath, [path.join(cliDir, "build.mjs")], { stdio: "inherit" })
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), "effect-apify-bench-"))
const emulator = spawn(process.execPath, [bin, "emulator", "--port", "0"], {
  env: { ...process.env, HOME: home },
  stdio: ["ignore", "pipe", "inherit"]
})
const banner = await new Promise<Array<string>>((resolve) => {
  const lines: Array<string> = []
  const reader = createInterface({ input: emulator.stdout })
  reader.on("line", (line) => {
    lines.push(line)
    if (lines.length === 2) {
      reader.close()
      resolve(lines)
    }
  })
})
const env = {
  ...process.env,
  HOME: home,
  APIFY_API_BASE_URL: banner[0] ?? "",
  APIFY_TOKEN: (banner[1] ?? "").replace(/^token: /, "")
}
const setup = (args: ReadonlyArray<string>) => {
  const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: "utf8" })
  if (result.status !== 0) throw new Error(`setup failed: ${args.join(" ")}: ${result.stderr}`)
}
setup(["actors", "create", "bench-actor"])
setup(["versions", "create", "owner~bench-actor", "0.1", "--git-repo", "https://github.com/apify/actor-templates"])

interface Case {
  readonly name: string
  readonly args: ReadonlyArray<string>
  readonly env?: Record<string, string>
}
const cases: ReadonlyArray<Case> = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "effect-apify --help", args: [bin, "--help"] },
  { name: "effect-apify versions get (emulator)", args: [bin, "versions", "get", "owner~bench-actor", "0.1"] },
  { name: "--help, no code cache", args: [bin, "--help"], env: { EFFECT_APIFY_CODE_CACHE: "0" } },
  {
    name: "versions get, no code cache",
    args: [bin, "versions", "get", "owner~bench-actor", "0.1"],
    env: { EFFECT_APIFY_CODE_CACHE: "0" }
  }
]

const time = (c: Case): number => {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, c.args, { env: { ...env, ...c.env }, stdio: "ignore" })
  if (result.status !== 0) throw new Error(`${c.name} exited with ${result.status}`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

// Peak memory: a preload that writes the child's own max RSS at exit.
const preload = path.join(home, "max-rss.cjs")
fs.writeFileSync(
  preload,
  "process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)))"
)
const maxRss = (c: Case): number => {
  const file = path.join(home, "rss.txt")
  spawnSync(process.execPath, ["--require", preload, ...c.args], {
    env: { ...env, ...c.env, BENCH_RSS_FILE: file },
    stdio: "ignore"
  })
  return Number(fs.readFileSync(file, "utf8")) / 1024
}

try {
  for (const c of cases) time(c) // warm up (file cache, code cache)
  const samples = cases.map(() => [] as Array<number>)
  for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j]!.push(time(c)))
  const median = (xs: Array<number>) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!
  const floor = median(samples[0]!)
  console.log(`effect-apify start-up, ${runs} runs each, Node ${process.version}, ${os.cpus().length} CPUs`)
  console.log(`${"case".padEnd(40)} ${"median".padStart(9)} ${"ratio".padStart(7)} ${"max RSS".padStart(9)}`)
  cases.forEach((c, j) => {
    const m = median(samples[j]!)
    console.log(
      `${c.name.padEnd(40)} ${`${m.toFixed(1)} ms`.padStart(9)} ${`${(m / floor).toFixed(2)}x`.padStart(7)} ${
        `${maxRss(c).toFixed(1)} MB`.padStart(9)
      }`
    )
  })
  const help = median(samples[1]!) / floor
  console.log(`\n--help is ${help.toFixed(2)}x node -e 0 (target: at most 3x): ${help <= 3 ? "met" : "NOT met"}`)
} finally {
  emulator.kill("SIGINT")
  fs.rmSync(home, { recursive: true, force: true })
}
