import { Actor, Envelope, EnvVar, SourceFile, Version, VersionRequest } from "@effect-apify/domain"
import { describe, expect, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Yaml from "yaml"
import { contractDir } from "./Contract.js"

const root = path.join(contractDir, "apify-openapi")
type Node = Record<string, unknown>

const load = (file: string): Node => Yaml.parse(fs.readFileSync(file, "utf8")) as Node
const isNode = (u: unknown): u is Node => typeof u === "object" && u !== null && !Array.isArray(u)

/** Follows a `$ref` to another file (fragments `#/name` pick a key of that file). */
const resolve = (from: string, node: Node): { readonly file: string; readonly node: Node } => {
  const ref = node.$ref
  if (typeof ref !== "string") return { file: from, node }
  const [relative, fragment] = ref.split("#")
  const file = relative ? path.resolve(path.dirname(from), relative) : from
  let target: unknown = load(file)
  for (const key of (fragment ?? "").split("/").filter((k) => k !== "")) target = (target as Node)[key]
  return resolve(file, target as Node)
}

const jsonExample = (from: string, node: unknown): unknown => {
  if (!isNode(node)) return undefined
  const { node: resolved } = resolve(from, node)
  const content = resolved.content
  if (!isNode(content)) return undefined
  const json = content["application/json"]
  return isNode(json) ? json.example : undefined
}

/** The operations this project speaks, by path file and method, with the schema of their bodies. */
const operations: Record<string, Record<string, { request?: Schema.Schema.Any; response?: Schema.Schema.Any }>> = {
  "acts.yaml": { post: { request: Actor.CreateActor, response: Envelope.Data(Actor.Actor) } },
  "acts@{actorId}.yaml": { get: { response: Envelope.Data(Actor.Actor) }, delete: {} },
  "acts@{actorId}@versions.yaml": {
    get: { response: Envelope.Data(Envelope.ListPage(Version.Version)) },
    post: { request: VersionRequest.CreateVersion, response: Envelope.Data(Version.Version) }
  },
  "acts@{actorId}@versions@{versionNumber}.yaml": {
    get: { response: Envelope.Data(Version.Version) },
    put: { request: VersionRequest.UpdateVersion, response: Envelope.Data(Version.Version) },
    post: { request: VersionRequest.UpdateVersion, response: Envelope.Data(Version.Version) },
    delete: {}
  },
  "acts@{actorId}@versions@{versionNumber}@env-vars.yaml": {
    get: { response: Envelope.Data(Envelope.ListPage(EnvVar.EnvVar)) },
    post: { request: EnvVar.EnvVarRequest, response: Envelope.Data(EnvVar.EnvVar) }
  },
  "acts@{actorId}@versions@{versionNumber}@env-vars@{envVarName}.yaml": {
    get: { response: Envelope.Data(EnvVar.EnvVar) },
    put: { request: EnvVar.EnvVarRequest, response: Envelope.Data(EnvVar.EnvVar) },
    post: { request: EnvVar.EnvVarRequest, response: Envelope.Data(EnvVar.EnvVar) },
    delete: {}
  }
}

/**
 * The spec's create-Actor example names the Actor `MyActor`, which breaks the rule the same
 * spec states for `name` ("Use lowercase letters, numbers, and hyphens"). The request schema
 * enforces that rule, so the example is refused naming the field, and decodes once lowercased.
 */
const lowercaseName = (example: unknown): unknown =>
  isNode(example) && typeof example.name === "string" ? { ...example, name: example.name.toLowerCase() } : example

describe("OpenAPI examples", () => {
  const examples: Array<{ label: string; example: unknown; schema: Schema.Schema.Any }> = []
  for (const [file, methods] of Object.entries(operations)) {
    const full = path.join(root, "paths", "actors", file)
    const spec = load(full)
    for (const [method, schemas] of Object.entries(methods)) {
      const { file: opFile, node: operation } = resolve(full, spec[method] as Node)
      const request = jsonExample(opFile, operation.requestBody)
      if (request !== undefined && schemas.request) {
        examples.push({ label: `${method} ${file} request`, example: request, schema: schemas.request })
      }
      for (const [status, answer] of Object.entries((operation.responses ?? {}) as Node)) {
        const example = jsonExample(opFile, answer)
        if (example === undefined) continue
        if (status.startsWith("2") && schemas.response) {
          if (isNode(example) && Object.keys(example).length === 0) continue
          examples.push({ label: `${method} ${file} ${status}`, example, schema: schemas.response })
        } else if (!status.startsWith("2")) {
          examples.push({ label: `${method} ${file} ${status}`, example, schema: Envelope.ErrorBody })
        }
      }
    }
  }

  it("cover every operation in scope", () => {
    expect(examples.length).toBeGreaterThanOrEqual(40)
  })

  for (const { example, label, schema } of examples) {
    it(`${label} decodes`, () => {
      const decode = Schema.decodeUnknownEither(schema as Schema.Schema<unknown, unknown, never>)
      if (label === "post acts.yaml request") {
        const refused = decode(example)
        expect(refused._tag).toBe("Left")
        expect(String(refused._tag === "Left" ? refused.left : "")).toContain("[\"name\"]")
        expect(decode(lowercaseName(example))._tag).toBe("Right")
      } else {
        expect(decode(example)._tag).toBe("Right")
      }
    })
  }

  it("every error answer in components/responses decodes", () => {
    const dir = path.join(root, "components", "responses")
    const types: Array<string> = []
    for (const file of fs.readdirSync(dir)) {
      const example = jsonExample(path.join(dir, file), load(path.join(dir, file)))
      if (example === undefined) continue
      types.push(Schema.decodeUnknownSync(Envelope.ErrorBody)(example).error.type)
    }
    expect(types).toContain("record-not-found")
    expect(types).toContain("rate-limit-exceeded")
  })
})

/** Builds an object from the `examples` of each property of a schema file, following `$ref`s. */
const fromPropertyExamples = (file: string, depth = 0): unknown => {
  const { file: at, node } = resolve(file, load(file))
  const build = (from: string, schema: Node): unknown => {
    const { file: f, node: n } = resolve(from, schema)
    if (Array.isArray(n.examples)) return n.examples[0]
    if (n.example !== undefined) return n.example
    if (Array.isArray(n.anyOf)) return build(f, n.anyOf[0] as Node)
    if (Array.isArray(n.oneOf)) return build(f, n.oneOf[0] as Node)
    if (Array.isArray(n.allOf)) return Object.assign({}, ...n.allOf.map((part) => build(f, part as Node)))
    if (n.const !== undefined) return n.const
    if (n.type === "array" && isNode(n.items)) {
      const item = depth > 2 ? undefined : build(f, n.items)
      return item === undefined ? [] : [item]
    }
    if (isNode(n.properties)) {
      const out: Node = {}
      for (const [key, property] of Object.entries(n.properties)) {
        const value = build(f, property as Node)
        if (value !== undefined) out[key] = value
      }
      return out
    }
    return undefined
  }
  return build(at, node)
}

describe("OpenAPI schema property examples", () => {
  const schemas = path.join(root, "components", "schemas", "actors")
  const cases: ReadonlyArray<[string, Schema.Schema.Any]> = [
    ["Actor.yaml", Actor.Actor],
    ["Version.yaml", Version.Version],
    ["EnvVar.yaml", EnvVar.EnvVar],
    ["ActorStats.yaml", Actor.ActorStats],
    ["DefaultRunOptions.yaml", Actor.DefaultRunOptions],
    ["ActorStandby.yaml", Actor.ActorStandby],
    ["TaggedBuildInfo.yaml", Actor.TaggedBuildInfo],
    ["ExampleRunInput.yaml", Actor.ExampleRunInput],
    ["SourceCodeFolder.yaml", SourceFile.SourceCodeFolder]
  ]
  for (const [file, schema] of cases) {
    it(`${file} decodes`, () => {
      const example = fromPropertyExamples(path.join(schemas, file))
      const decoded = Schema.decodeUnknownSync(schema as Schema.Schema<unknown, unknown, never>)(example)
      expect(decoded).toEqual(expect.any(Object))
    })
  }

  it("TaggedBuilds.yaml decodes into an Actor's taggedBuilds", () => {
    const example = load(path.join(schemas, "TaggedBuilds.yaml")).example
    const actor = Schema.decodeUnknownSync(Actor.Actor)({
      ...(fromPropertyExamples(path.join(schemas, "Actor.yaml")) as Node),
      taggedBuilds: example
    })
    expect(actor.taggedBuilds?.latest?.buildId).toBe("z2EryhbfhgSyqj6Hn")
  })
})
