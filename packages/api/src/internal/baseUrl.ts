/**
 * The check of a base URL, once, before anything is sent: an absolute `http:` or `https:` URL
 * without user name, password, query or fragment. A query or fragment would swallow every
 * request's path (`https://h/api?` sends `DELETE /api`), a user name or password would be
 * shown wherever the URL is, and any other scheme is not HTTP.
 *
 * @internal
 */

/**
 * What is wrong with `baseUrl`, in words that never repeat its user name or password, or
 * `undefined` when requests can be sent to it.
 *
 * @internal
 */
export const problem = (baseUrl: string | URL): string | undefined => {
  const text = String(baseUrl)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return "the base URL is not an absolute URL (give one like https://api.apify.com)"
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `the base URL's scheme is ${JSON.stringify(url.protocol)}; only http: and https: are supported`
  }
  if (url.username !== "" || url.password !== "") {
    return "the base URL carries a user name or password (user:password@); remove it (the API token is given apart)"
  }
  if (url.search !== "" || text.includes("?")) {
    return "the base URL has a query (?...); every request's path would land in it; remove it"
  }
  if (url.hash !== "" || text.includes("#")) {
    return "the base URL has a fragment (#...); every request's path would land in it; remove it"
  }
  return undefined
}
