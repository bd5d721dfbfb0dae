/**
 * What the benches that run the app as production does share: free ports, a Redis database emptied before a
 * run, and `medusa start` processes of this repository on the bench's database (scripts/demo-lib.js starts and
 * stops them, each in its own process group).
 */
import { createServer } from "net"
import { readFileSync } from "fs"
// eslint-disable-next-line @typescript-eslint/no-var-requires
const demo = require("../scripts/demo-lib.js")

export type AppMode = "worker" | "server" | "shared"

/** A `medusa start` child process (scripts/demo-lib.js startProcess). */
export type AppChild = { pid: number; exitCode: number | null; signalCode: string | null; once(event: "exit", cb: () => void): void }

export type StartedApp = { child: AppChild; port: number; logFile: string; mode: AppMode }

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/**
 * Empties one Redis database (FLUSHDB, never FLUSHALL): a lock or queued jobs left by an earlier run's killed
 * processes would otherwise hold up this run. Use a database nothing else uses.
 */
export async function flushRedisDb(url: string) {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Redis = require("ioredis")
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await client.connect()
  await client.flushdb()
  await client.quit()
}

/**
 * `medusa start` in `mode` on `env` (DATABASE_URL, REDIS_URL, the provider's variables: the caller's), on
 * `port` (a free one by default), answering /health before this resolves. `onSpawn` runs on the new process
 * before the wait (CPU pinning, priority). Its output goes to `logFile`, whose tail is printed if it never
 * answers.
 */
export async function startMedusaApp(input: {
  mode: AppMode
  env: Record<string, string | undefined>
  logFile: string
  port?: number
  timeoutMs?: number
  onSpawn?: (child: AppChild) => void
}): Promise<StartedApp> {
  const port = input.port ?? (await freePort())
  const env: Record<string, string | undefined> = { ...input.env, PORT: String(port), MEDUSA_WORKER_MODE: input.mode }
  if (!env.REDIS_URL) delete env.REDIS_URL
  // The jest worker's marker would make Medusa behave as under test.
  delete env.JEST_WORKER_ID
  const child = demo.startMedusaProcess({ env, port, logFile: input.logFile }) as AppChild
  input.onSpawn?.(child)
  try {
    await demo.waitForHttp(`http://localhost:${port}/health`, { timeoutMs: input.timeoutMs ?? 300_000, child })
  } catch (error) {
    process.stderr.write(readFileSync(input.logFile, "utf8").slice(-5000))
    await stopApp(child)
    throw error
  }
  return { child, port, logFile: input.logFile, mode: input.mode }
}

/** Stops a child of startMedusaApp (or any demo-lib child): SIGTERM to its group, SIGKILL after `graceMs`. */
export const stopApp = (child: AppChild | undefined, graceMs = 10_000): Promise<void> => demo.stopProcess(child, { graceMs })

/** Kills the child's whole process group with SIGKILL at once (a crash), resolving when it has exited. */
export function killApp(child: AppChild): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once("exit", () => resolve())
    try {
      process.kill(-child.pid, "SIGKILL")
    } catch {
      resolve()
    }
  })
}
