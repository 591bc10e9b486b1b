/**
 * What the API sends back for the records: the JSON form of each answer's `data`.
 *
 * @internal
 */
import type { Actor, ActorList, EnvVar, Version } from "@effect-apify/domain"
import type { ActorRecord, EnvVarRecord, VersionRecord } from "../Model.js"

/** @internal */
export const envVarJson = (envVar: EnvVarRecord): typeof EnvVar.EnvVar.Encoded =>
  envVar.isSecret ? { name: envVar.name, isSecret: true } : { name: envVar.name, value: envVar.value, isSecret: false }

/** @internal */
export const versionJson = (version: VersionRecord): typeof Version.Version.Encoded => ({
  versionNumber: version.versionNumber,
  sourceType: version.sourceType,
  envVars: version.envVars === null ? null : version.envVars.map(envVarJson),
  applyEnvVarsToBuild: version.applyEnvVarsToBuild,
  buildTag: version.buildTag,
  ...(version.sourceFiles === undefined ? {} : { sourceFiles: version.sourceFiles }),
  ...(version.gitRepoUrl === undefined ? {} : { gitRepoUrl: version.gitRepoUrl }),
  ...(version.tarballUrl === undefined ? {} : { tarballUrl: version.tarballUrl }),
  ...(version.gitHubGistUrl === undefined ? {} : { gitHubGistUrl: version.gitHubGistUrl })
})

/** @internal */
export const actorJson = (actor: ActorRecord): typeof Actor.Actor.Encoded => ({
  id: actor.id,
  userId: actor.userId,
  name: actor.name,
  username: actor.username,
  description: actor.description,
  isPublic: actor.isPublic,
  actorPermissionLevel: "LIMITED_PERMISSIONS",
  createdAt: actor.createdAt,
  modifiedAt: actor.modifiedAt,
  stats: {
    totalBuilds: 0,
    totalRuns: 0,
    totalUsers: 1,
    totalUsers7Days: 1,
    totalUsers30Days: 1,
    totalUsers90Days: 1,
    totalMetamorphs: 0,
    lastRunStartedAt: null
  },
  versions: actor.versions.map(versionJson),
  pricingInfos: actor.pricingInfos,
  defaultRunOptions: actor.defaultRunOptions,
  exampleRunInput: actor.exampleRunInput,
  isDeprecated: actor.isDeprecated,
  deploymentKey: `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ effect-apify-emulator-${actor.id}`,
  title: actor.title,
  taggedBuilds: null,
  actorStandby: actor.actorStandby,
  seoTitle: actor.seoTitle,
  seoDescription: actor.seoDescription,
  categories: actor.categories,
  isSourceCodeHidden: true,
  hasNoDataset: false
})

/** @internal */
export const actorShortJson = (actor: ActorRecord): typeof ActorList.ListItem.Encoded => ({
  id: actor.id,
  createdAt: actor.createdAt,
  modifiedAt: actor.modifiedAt,
  name: actor.name,
  username: actor.username
})
