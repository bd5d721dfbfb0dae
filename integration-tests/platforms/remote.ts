import { createServer } from "http"
import type { AddressInfo } from "net"
import { join } from "path"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const demo = require("../../scripts/demo-lib.js")

/** A sandbox CLI process and its control API (sandbox/README.md), for a driver's startProcess(). */
export type SandboxProcess = {
  url: string
  pid: number | undefined
  /** A control or API call; a non-2xx answer throws with its body. */
  call<T = Record<string, any>>(method: string, path: string, body?: unknown): Promise<T>
  stop(): Promise<void>
}

/**
 * `sandbox/cli.ts --platform <platform> --port <port> ...args` in its own process group (stopped with it),
 * answering before this resolves.
 */
export async function startSandboxCli(
  platform: string,
  args: string[],
  { port, logFile, seed }: { port: number; logFile: string; seed?: number }
): Promise<SandboxProcess> {
  const root = join(__dirname, "..", "..")
  const child = demo.startProcess(
    join(root, "node_modules", ".bin", "ts-node"),
    ["--transpile-only", join(root, "sandbox", "cli.ts"), "--platform", platform, "--port", String(port), ...args],
    { env: { ...process.env, SANDBOX_SEED: String(seed ?? (process.env.SANDBOX_SEED || 20261122)) }, logFile, name: `${platform} sandbox` }
  )
  const url = `http://127.0.0.1:${port}`
  try {
    await demo.waitForHttp(`${url}/sandbox`, { timeoutMs: 60_000, child })
  } catch (error) {
    await demo.stopProcess(child)
    throw error
  }
  return {
    url,
    pid: child.pid,
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text}`)
      return (text ? JSON.parse(text) : {}) as never
    },
    stop: () => demo.stopProcess(child),
  }
}

/** A free TCP port on localhost, for a sandbox process. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
