import { spawnSync } from "child_process"
import path from "path"
import { parseEncryptionKey, SecretBox } from "../utils/crypto"

jest.setTimeout(90000)

const root = path.resolve(__dirname, "../../../..")

/** Boots the module in a child process, the way an app would, and reports how it ended. */
function boot(key: string | undefined, extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "", ...extra }
  delete env.MARKETPLACE_ENCRYPTION_KEY
  if (key !== undefined) {
    env.MARKETPLACE_ENCRYPTION_KEY = key
  }
  const child = spawnSync(process.execPath, [path.join(__dirname, "fixtures/boot-module.js")], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 80000,
  })
  return { status: child.status, output: `${child.stdout}\n${child.stderr}` }
}

describe("encryption key check at start-up", () => {
  it.each([
    ["missing", undefined, /is missing/],
    ["too short", Buffer.alloc(16).toString("base64"), /16 bytes, not 32/],
    ["not base64", "this is not a key!", /not base64/],
  ])("refuses to start when the key is %s, and says how to make one", (_label, key, detail) => {
    const { status, output } = boot(key)
    expect(status).not.toBe(0)
    expect(output).not.toContain("STARTED")
    expect(output).toMatch(detail)
    expect(output).toContain("randomBytes(32).toString('base64')")
  })

  it("starts with a valid 32-byte base64 key", () => {
    const { status, output } = boot(Buffer.alloc(32, 9).toString("base64"))
    expect(output).toContain("STARTED")
    expect(status).toBe(0)
  })

  it("refuses to start on a setting that does not parse, naming the variable", () => {
    const { status, output } = boot(Buffer.alloc(32, 9).toString("base64"), { MARKETPLACE_TASK_MAX_ATTEMPTS: "many" })
    expect(status).not.toBe(0)
    expect(output).not.toContain("STARTED")
    expect(output).toMatch(/MARKETPLACE_TASK_MAX_ATTEMPTS \(default of option taskMaxAttempts\)/)
  })

  it("seals and opens with associated data", () => {
    const box = new SecretBox(parseEncryptionKey(Buffer.alloc(32, 9).toString("base64")))
    const sealed = box.seal("hello", "conn_1")
    expect(sealed.ciphertext).not.toContain("hello")
    expect(box.open(sealed.ciphertext, "conn_1")).toBe("hello")
    expect(() => box.open(sealed.ciphertext, "conn_2")).toThrow()
  })
})
