/**
 * Hostile strings in every argument and flag of every command (issue 11). The commands come
 * from the command definitions (`CommandTree.fromCommand(Cli.command)`), not from a list kept
 * here. For a seeded, bounded sample, each run puts hostile strings (control characters, huge
 * numbers, NaN, empty, very long, non-Latin-1) in some positions and plausible values in the
 * others, against a loopback emulator. Every run must end with a documented exit code, say
 * what went wrong in one line on stderr, let no raw control character reach the terminal and
 * show neither the token nor a secret value.
 */
import * as Effect from "effect/Effect"
import * as os from "node:os"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Cli from "../../src/Cli.js"
import * as CommandTree from "../../src/CommandTree.js"
import { bin, emptyHome, startEmulator } from "../helpers.js"
import { rng, runBinary } from "./harness.js"

const token = "apify_api_HostileArgumentsToken_51d0"
const secret = "hostile-args-SECRET-value-e4f1"
const documented = new Set([0, 1, 2, 3, 4, 5, 6])
const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/

const hostileStrings: ReadonlyArray<string> = [
  "",
  " ",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e308",
  "-1",
  "9".repeat(400),
  "0x10",
  "x".repeat(20_000),
  "\u001b[2J\u001b]0;title\u0007",
  "\u001b]8;;http://evil.test\u0007link\u001b]8;;\u0007",
  "a\rb",
  "line\nbreak",
  "\u009b31m",
  "\u202eevil",
  "имя-актора",
  "🚀~ракета",
  "名前=値",
  "A=\u001b[31mred",
  "owner~\u001b[2J",
  "../../etc/passwd",
  "%00%2e%2e",
  "--",
  "-h"
]

/** A plausible value for an argument or flag, so that a run reaches the deeper checks. */
const plausible = (name: string): string => {
  if (name === "actor") return "owner~my-actor"
  if (name === "version" || name === "version-number") return "0.1"
  if (name === "NAME=VALUE" || name === "env") return "A=1"
  if (name === "secret-env") return `S=${secret}`
  if (name === "name") return "my-name"
  if (name.includes("url") || name === "git-repo" || name === "tarball" || name === "gist") return "https://g.test/r"
  return "1"
}

interface Case {
  readonly argv: ReadonlyArray<string>
}

const leaves = CommandTree.all(Cli.tree()).filter((node) => node.children.length === 0 && node.name !== "emulator")

const cases = (seed: number, count: number): ReadonlyArray<Case> => {
  const r = rng(seed)
  return Array.from({ length: count }, () => {
    const node = r.pick(leaves)
    const value = (name: string, choices: ReadonlyArray<string> = []) =>
      r.chance(0.5) ? r.pick(hostileStrings) : choices.length > 0 ? r.pick(choices) : plausible(name)
    const args = node.args.map((arg) => value(arg.name, arg.choices))
    const flags = node.flags.filter(() => r.chance(0.3)).flatMap((flag) =>
      flag.placeholder === undefined ? [`--${flag.name}`] : [`--${flag.name}`, value(flag.name)]
    )
    return { argv: [...node.path.slice(1), ...args, ...flags] }
  })
}

let emulator: Awaited<ReturnType<typeof startEmulator>>
beforeAll(async () => {
  emulator = await startEmulator({ token, rateLimit: false })
  await Effect.runPromise(Effect.orDie(emulator.server.emulator.seedActor({ name: "my-actor" })))
})
afterAll(() => emulator.close())

const runs = 80

describe("hostile strings in every argument and flag of every command (issue 11)", () => {
  it("a usage error quotes the argument escaped (it reached the terminal raw)", async () => {
    const result = await runBinary(bin, [
      "versions",
      "list",
      "owner~my-actor",
      "--max-retries",
      "\u001b]0;t\u0007\r\u202e"
    ], {
      env: { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: token },
      home: emptyHome(),
      timeoutMillis: 20_000
    })
    expect(result.code).toBe(2)
    expect(result.stderr).not.toMatch(raw)
    expect(result.stderr).toContain(
      "Error: --max-retries must be a whole number from 0 to 100, got \"\\u001b]0;t\\u0007\\r\\u202e\"\n"
    )
  })

  it(
    `${runs} seeded runs over ${leaves.length} commands: documented exit code, one stderr line, nothing raw, no secret`,
    async () => {
      const all = cases(20261202, runs)
      const failures: Array<string> = []
      const width = Math.max(2, Math.min(4, os.availableParallelism()))
      for (let i = 0; i < all.length; i += width) {
        const batch = all.slice(i, i + width)
        const results = await Promise.all(batch.map(({ argv }) =>
          runBinary(bin, argv, {
            env: { APIFY_API_BASE_URL: emulator.url, APIFY_TOKEN: token },
            home: emptyHome(),
            timeoutMillis: 20_000
          })
        ))
        results.forEach((result, j) => {
          const argv = batch[j]!.argv
          const shown = JSON.stringify(argv).slice(0, 160)
          const output = result.stdout + result.stderr
          const stderrLines = result.stderr.split("\n").filter((line) => line.length > 0)
          // --verbose adds lines by design, and an unknown flag is followed by the command's help (docs/cli.md);
          // else one line per problem found, and at most one "Hint:" line
          const oneLineExpected = result.code !== 0 && !argv.includes("--verbose") &&
            !result.stderr.startsWith("Error: unknown flag")
          const problems = stderrLines.filter((line) => !line.startsWith("Hint: "))
          if (result.killed) failures.push(`still running after 20 s: ${shown}`)
          if (!documented.has(result.code ?? -1)) failures.push(`exit ${result.code}: ${shown}`)
          if (
            oneLineExpected &&
            (problems.length === 0 || problems.length > argv.length || stderrLines.length - problems.length > 1)
          ) {
            failures.push(
              `${stderrLines.length} stderr lines: ${shown}: ${JSON.stringify(result.stderr.slice(0, 160))}`
            )
          }
          if (raw.test(result.stderr) || (!argv.includes("--json") && raw.test(result.stdout))) {
            failures.push(`raw control character: ${shown}: ${JSON.stringify(output.slice(0, 160))}`)
          }
          if (output.includes(token.slice("apify_api_".length)) || output.includes(secret)) {
            failures.push(`token or secret printed: ${shown}`)
          }
        })
      }
      expect(failures).toEqual([])
    },
    300_000
  )
})
