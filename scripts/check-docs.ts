/**
 * `pnpm check:docs` (part of `pnpm check`): the Markdown a reader opens is held to what it
 * says.
 *
 * - Every relative link in README.md, docs/ and the package READMEs leads to a file or a
 *   directory of the repository (as `git ls-files` lists it), never out of it.
 * - The package READMEs, which npm shows on the package page, link only with absolute URLs.
 * - No page names a path outside the repository (a local checkout's `/work/...`, `/tmp/...`).
 * - Every ```ts block type-checks, each as its own module, importing the packages the way a
 *   user does (`@effect-apify/api`, `effect`, ...), resolved to the workspace's sources. A
 *   block fenced as ```ts fragment continues the page's previous whole block: it is checked
 *   after that block, in a scope of its own.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter((f) => f !== "")
const trackedSet = new Set(tracked)
const trackedDirs = new Set(
  tracked.flatMap((f) => f.split("/").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("/")))
)

/** The pages: the README, the guides and decisions, the package READMEs (not the generated API reference). */
const pages = tracked.filter((f) =>
  f.endsWith(".md") && (f === "README.md" || /^docs\/.*\.md$/.test(f) || /^packages\/[^/]+\/README\.md$/.test(f))
)
// Pages on disk but not yet committed are checked too.
for (const dir of ["docs", "docs/decisions"]) {
  for (const name of fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)) : []) {
    if (name.endsWith(".md") && !pages.includes(`${dir}/${name}`)) pages.push(`${dir}/${name}`)
  }
}
for (const name of fs.readdirSync(path.join(root, "packages"))) {
  const readme = `packages/${name}/README.md`
  if (fs.existsSync(path.join(root, readme)) && !pages.includes(readme)) pages.push(readme)
}

const problems: Array<string> = []

interface Snippet {
  readonly page: string
  /** The line of the block's first line of code in the page. */
  readonly line: number
  readonly code: string
  /** Lines put before the block's own (a fragment's context), not in the page at `line`. */
  readonly prelude: number
}
const snippets: Array<Snippet> = []

const outsidePath = /(^|[\s`("'])(\/work\/|\/tmp\/|\/home\/|\.\.\/shared\/)/
const linkPattern = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g

for (const page of pages) {
  const lines = fs.readFileSync(path.join(root, page), "utf8").split("\n")
  const isPackageReadme = page.startsWith("packages/")
  let fence: { readonly info: string; readonly start: number; readonly body: Array<string> } | undefined
  let lastWhole: string | undefined
  for (const [index, line] of lines.entries()) {
    const at = `${page}:${index + 1}`
    const fenceMatch = /^\s*```(.*)$/.exec(line)
    if (fenceMatch !== null) {
      if (fence === undefined) fence = { info: (fenceMatch[1] ?? "").trim(), start: index + 2, body: [] }
      else {
        const code = fence.body.join("\n")
        if (fence.info === "ts" || fence.info === "typescript") {
          snippets.push({ page, line: fence.start, code, prelude: 0 })
          lastWhole = code
        } else if (fence.info === "ts fragment") {
          if (lastWhole === undefined) {
            problems.push(`${page}:${fence.start - 1}: a fragment with no whole ts block before it`)
          } else {
            const context = `${lastWhole}\n{\n`
            snippets.push({
              page,
              line: fence.start,
              code: `${context}${code}\n}`,
              prelude: context.split("\n").length - 1
            })
          }
        }
        fence = undefined
      }
      continue
    }
    if (fence !== undefined) {
      fence.body.push(line)
      if (outsidePath.test(line)) problems.push(`${at}: names a path outside the repository: ${line.trim()}`)
      continue
    }
    if (outsidePath.test(line)) problems.push(`${at}: names a path outside the repository: ${line.trim()}`)
    for (const match of line.matchAll(linkPattern)) {
      const target = match[1] ?? ""
      if (/^(https?:|mailto:)/.test(target)) continue
      if (isPackageReadme) {
        problems.push(`${at}: "${target}" is a relative link; npm's package page cannot follow it (use an https URL)`)
        continue
      }
      if (target.startsWith("#")) continue
      const file = target.split("#")[0] ?? ""
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page), file)).replace(/\/$/, "")
      if (resolved.startsWith("..")) problems.push(`${at}: "${target}" leads outside the repository`)
      else if (!trackedSet.has(resolved) && !trackedDirs.has(resolved) && !fs.existsSync(path.join(root, resolved))) {
        problems.push(`${at}: "${target}" leads nowhere (${resolved} is not in the repository)`)
      }
    }
  }
}

/**
 * A directory whose node_modules holds what the snippets import: our packages (their sources,
 * through the "@effect-apify/source" export condition) and the third-party packages, found
 * where the workspace installed them.
 */
const makeSandbox = (specifiers: ReadonlySet<string>): string => {
  const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "effect-apify-docs-"))
  fs.writeFileSync(path.join(sandbox, "package.json"), JSON.stringify({ private: true, type: "module" }))
  const packageDirs = fs.readdirSync(path.join(root, "packages")).map((name) => path.join(root, "packages", name))
  const names = new Set([
    "@types/node",
    ...[...specifiers].map((s) => s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0] ?? s)
  ])
  for (const name of names) {
    const own = packageDirs.find((dir) =>
      JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name === name
    )
    const found = own ??
      [root, ...packageDirs].map((dir) => path.join(dir, "node_modules", name)).find((dir) => fs.existsSync(dir))
    if (found === undefined) continue // reported by the type check as a module that cannot be found
    const link = path.join(sandbox, "node_modules", name)
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(fs.realpathSync(found), link, "dir")
  }
  return sandbox
}

const checkSnippets = () => {
  const specifiers = new Set(
    snippets.flatMap((s) => [...s.code.matchAll(/from\s+"([^".][^"]*)"/g)].map((m) => m[1] ?? ""))
  )
  const sandbox = makeSandbox(specifiers)
  try {
    const files = snippets.map((snippet, i) => {
      const file = path.join(sandbox, `snippet${i}.ts`)
      fs.writeFileSync(file, snippet.code)
      return file
    })
    const base = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.base.json"), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => problems.push(ts.flattenDiagnosticMessageText(d.messageText, "\n"))
    })
    const options: ts.CompilerOptions = {
      ...base?.options,
      // A reader's snippet may leave a value unused; everything else as strict as the packages.
      noUnusedLocals: false,
      noUnusedParameters: false,
      noEmit: true,
      incremental: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      typeRoots: [path.join(sandbox, "node_modules", "@types")]
    }
    const program = ts.createProgram(files, options)
    // The packages' own sources are checked by their `check` scripts; here only the snippets.
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...files.flatMap((file) => {
        const source = program.getSourceFile(file)
        return source === undefined
          ? []
          : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
      })
    ]
    for (const diagnostic of diagnostics) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
      const snippet = diagnostic.file === undefined ? undefined : snippets[files.indexOf(diagnostic.file.fileName)]
      if (snippet === undefined || diagnostic.file === undefined || diagnostic.start === undefined) {
        problems.push(`${diagnostic.file?.fileName ?? "(options)"}: ${message}`)
        continue
      }
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
      const where = line < snippet.prelude
        ? `${snippet.page}:${snippet.line} (in the block it continues)`
        : `${snippet.page}:${snippet.line + line - snippet.prelude}`
      problems.push(`${where}: ${message}`)
    }
  } finally {
    fs.rmSync(sandbox, { recursive: true, force: true })
  }
}

checkSnippets()

if (problems.length > 0) {
  for (const problem of problems) console.error(problem)
  console.error(`docs: ${problems.length} problem(s) in ${pages.length} pages and ${snippets.length} TypeScript blocks`)
  process.exit(1)
}
console.log(
  `docs: ${pages.length} pages, every link leads into the repository, ${snippets.length} TypeScript blocks type-check`
)
