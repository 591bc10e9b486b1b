// One table of exit codes: the error report (Report.byTag, Report.byType), the help's EXIT
// CODES and docs/cli.md agree with ExitCodes, and every Apify error type of the domain's
// contract is documented under the exit code the report gives it.
import { ApifyError } from "@effect-apify/api"
import { ErrorType } from "@effect-apify/domain"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import * as Cli from "../src/Cli.js"
import * as ExitCodes from "../src/ExitCodes.js"
import * as Help from "../src/Help.js"
import * as Report from "../src/Report.js"

const docs = fs.readFileSync(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/cli.md"),
  "utf8"
)

// The rows of the exit code table in "Errors and exit codes": code, meaning, from.
const documented = (): Array<readonly [number, string, string]> => {
  const section = docs.slice(docs.indexOf("## Errors and exit codes"))
  const table = section.slice(
    section.indexOf("| exit code |"),
    section.indexOf("\n\n", section.indexOf("| exit code |"))
  )
  return table.split("\n").slice(2).map((line) => {
    const [code, meaning, from] = line.split(" | ").map((cell) => cell.replace(/^\| ?| ?\|$/g, "").trim())
    return [Number(code), meaning ?? "", from ?? ""] as const
  })
}

// An error of the class the client gives an answer with this status, and this type.
const errorFor = (type: ErrorType.ErrorType): ApifyError.ApifyError => {
  const status = ErrorType.status[type]
  const fields = { status, type, apifyMessage: "", method: "GET", path: "/v2/acts/a", attempts: 1 }
  if (status in ApifyError.byStatus) {
    return new ApifyError.byStatus[status as keyof typeof ApifyError.byStatus](fields)
  }
  if (status === 401) return new ApifyError.Unauthorized(fields)
  if (status === 429) return new ApifyError.RateLimited(fields)
  return new ApifyError.ServerError(fields)
}

describe("exit codes", () => {
  it("docs/cli.md lists every exit code in order with the meaning the help prints", () => {
    expect(documented().map(([code, meaning]) => [code, meaning])).toEqual(ExitCodes.all)
  })

  it("the help's EXIT CODES section is the table", () => {
    const help = Help.render(Cli.tree(), 120)
    const section = help.slice(help.indexOf("EXIT CODES\n"), help.indexOf("\n\n", help.indexOf("EXIT CODES\n")))
    expect(section.split("\n").slice(1).map((line) => line.trim().split(/\s{2,}/))).toEqual(
      ExitCodes.all.map(([code, meaning]) => [String(code), meaning])
    )
  })

  it("every Apify error type is documented under the exit code the report gives it, and under no other", () => {
    const rows = documented()
    for (const type of ErrorType.ErrorType.literals) {
      const code = Report.exitCodeOf(errorFor(type))
      const [, , from] = rows.find(([documentedCode]) => documentedCode === code) ?? [code, "", ""]
      expect(from, `${type} (exit ${code})`).toContain(`\`${type}\``)
      expect(from, `${type} (exit ${code})`).toContain(String(ErrorType.status[type]))
      for (const [other, , text] of rows) if (other !== code) expect(text, `${type} under ${other}`).not.toContain(type)
    }
  })

  it("each error class has its exit code from the table, the conflicts theirs", () => {
    const named = new Set(Object.values(ExitCodes.ExitCode))
    for (const kind of Object.values(Report.byTag)) expect(named.has(ExitCodes.ExitCode[kind.exit])).toBe(true)
    expect([...Report.conflictTypes].sort()).toEqual(
      ErrorType.ErrorType.literals.filter((type) => Report.exitCodeOf(errorFor(type)) === 5).sort()
    )
    expect(Report.ExitCode).toBe(ExitCodes.ExitCode)
  })
})
