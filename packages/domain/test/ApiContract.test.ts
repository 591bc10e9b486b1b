// The contract module: routes, parameters, allowed methods and matching under both prefixes.
import { Contract, ErrorType, Operation } from "@effect-apify/domain"
import { describe, expect, it } from "vitest"

describe("the API contract", () => {
  it("reads each operation's parameters from its route, in order", () => {
    expect(Contract.getActor.parameters).toEqual(["actorId"])
    expect(Contract.updateEnvVar.parameters).toEqual(["actorId", "versionNumber", "envVarName"])
    expect(Contract.createActor.parameters).toEqual([])
    for (const operation of Object.values(Contract.operations)) {
      for (const parameter of operation.parameters) expect(Operation.pathParameters).toHaveProperty(parameter)
    }
  })

  it("allows on each route the methods the API allows", () => {
    const allowed = Object.fromEntries(
      Contract.routes.map((route) => [route, [...Contract.allowedMethods(route)].sort()])
    )
    expect(allowed).toEqual({
      "": ["GET", "POST"],
      "/:actorId": ["DELETE", "GET"],
      "/:actorId/versions": ["GET", "POST"],
      "/:actorId/versions/:versionNumber": ["DELETE", "GET", "POST", "PUT"],
      "/:actorId/versions/:versionNumber/env-vars": ["GET", "POST"],
      "/:actorId/versions/:versionNumber/env-vars/:envVarName": ["DELETE", "GET", "POST", "PUT"],
      "/:actorId/builds": ["POST"],
      "/actor-builds/:buildId": ["GET"],
      "/actor-builds/:buildId/abort": ["POST"],
      "/logs/:buildId": ["GET"],
      "/actor-builds/:buildId/log": ["GET"],
      "/key-value-stores": ["POST"],
      "/key-value-stores/:storeId": ["GET"],
      "/key-value-stores/:storeId/records/:recordKey": ["GET", "PUT"]
    })
  })

  it("matches paths under /v2/acts and /v2/actors, parameters decoded", () => {
    expect(Contract.match("/v2/actors/me~a/versions/0.1/env-vars/A%20B")).toEqual({
      prefix: "/v2/actors",
      route: "/:actorId/versions/:versionNumber/env-vars/:envVarName",
      parameters: { actorId: "me~a", versionNumber: "0.1", envVarName: "A B" }
    })
    expect(Contract.match("/v2/acts")).toEqual({ prefix: "/v2/acts", route: "", parameters: {} })
    expect(Contract.match("/v2/acts/abc/")).toEqual({
      prefix: "/v2/acts",
      route: "/:actorId",
      parameters: { actorId: "abc" }
    })
  })

  it("matches builds, logs and stores below /v2, and no route in two bases", () => {
    expect(Contract.match("/v2/actor-builds/b1/log")).toEqual({
      prefix: "/v2",
      route: "/actor-builds/:buildId/log",
      parameters: { buildId: "b1" }
    })
    expect(Contract.match("/v2/key-value-stores/s1/records/version-0.1.zip")).toEqual({
      prefix: "/v2",
      route: "/key-value-stores/:storeId/records/:recordKey",
      parameters: { storeId: "s1", recordKey: "version-0.1.zip" }
    })
    expect(Contract.match("/v2/actors/me~a/builds")?.route).toBe("/:actorId/builds")
    for (const operation of Object.values(Contract.operations)) {
      const others = Object.values(Contract.operations).filter((o) => o.path === operation.path)
      expect(others.every((o) => o.base === operation.base), operation.path).toBe(true)
    }
    expect(Contract.getRecord.answerFormat).toBe("bytes")
    expect(Contract.putRecord.requestFormat).toBe("bytes")
    expect(Contract.getLog.answerFormat).toBe("text")
  })

  it("matches no unknown route, no empty or badly encoded segment", () => {
    for (
      const path of [
        "/v2/actsx",
        "/v3/acts",
        "/v2/acts/a/builds/x",
        "/v2/acts/actor-builds/b1",
        "/v2/actor-builds",
        "/v2/key-value-stores/s/records/",
        "/v2/logs",
        "/v2/acts/%E0%A4%A",
        "/v2/acts//versions",
        "/v2/acts/a/versions/0.1/env-vars/X/Y"
      ]
    ) {
      expect(Contract.match(path), path).toBeUndefined()
    }
  })

  it("gives every Apify error type its status, the PUT aliases their own 405", () => {
    expect(Object.keys(ErrorType.status).sort()).toEqual([...ErrorType.ErrorType.literals].sort())
    expect(Contract.updateVersionPost.errors).toContain(405)
    expect(Contract.updateVersion.errors).not.toContain(405)
  })
})
