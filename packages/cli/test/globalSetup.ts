// Builds the executable the end-to-end tests spawn, so that `pnpm test` works on a clean
// clone without a separate build step. Always rebuilt: it takes about a second and keeps the
// tests on the current sources.
export default async function setup(): Promise<void> {
  // @ts-expect-error build.mjs is plain JavaScript without types
  const { build } = (await import("../build.mjs")) as {
    build: (options: { cache?: boolean; quiet?: boolean }) => Promise<void>
  }
  await build({ cache: true, quiet: true })
}
