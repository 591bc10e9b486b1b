// No import cycle in any package's sources: type-only imports count (a type declared in the
// wrong module is what makes a cycle). Any cycle fails; `known` is where one would be listed
// while it is being taken apart (none is).
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const packages = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

/** Each known cycle: the files (relative to `packages/`) of one strongly connected component. */
const known: ReadonlyArray<ReadonlyArray<string>> = []

const sources = (dir: string): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sources(full)
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : []
  })

/** The graph of relative imports (`./x.js` is `./x.ts`) between the source files. */
export const importGraph = (files: ReadonlyArray<string>): Map<string, Array<string>> => {
  const graph = new Map<string, Array<string>>()
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, false)
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => path.resolve(path.dirname(file), name.replace(/\.js$/, ".ts")))
      .filter((target) => fs.existsSync(target))
    graph.set(file, targets)
  }
  return graph
}

/** The cycles: strongly connected components of more than one file, or a file importing itself. */
export const cycles = (graph: Map<string, Array<string>>): Array<Array<string>> => {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: Array<string> = []
  const onStack = new Set<string>()
  const found: Array<Array<string>> = []
  const visit = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component: Array<string> = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort())
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

describe("import cycles", () => {
  it("finds a cycle, a self-import and nothing in a tree (the detector itself)", () => {
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["d"]], ["e", ["a"]]])
    expect(cycles(graph)).toEqual([["a", "b", "c"], ["d"]])
    expect(cycles(new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]]))).toEqual([])
  })

  for (const name of fs.readdirSync(packages).filter((dir) => fs.existsSync(path.join(packages, dir, "src")))) {
    it(`${name}: none beyond the known ones`, () => {
      const found = cycles(importGraph(sources(path.join(packages, name, "src"))))
        .map((component) => component.map((file) => path.relative(packages, file).split(path.sep).join("/")))
      const unknown = found.filter((component) =>
        !known.some((cycle) => component.every((file) => cycle.includes(file)))
      )
      expect(unknown).toEqual([])
    })
  }
})
