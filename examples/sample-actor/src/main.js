// The sample Actor: greets the name from its input.
import { Actor } from "apify"

await Actor.init()
const input = (await Actor.getInput()) ?? {}
const greeting = process.env.GREETING ?? "Hello"
const message = `${greeting}, ${input.name ?? "world"}!`
console.log(message)
await Actor.pushData({ message, usedApiKey: process.env.API_KEY !== undefined })
await Actor.exit()
