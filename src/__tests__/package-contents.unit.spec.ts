import { execFileSync } from "child_process"
import fs from "fs"
import path from "path"

/**
 * What the published package holds, read from `npm pack --dry-run --json` over the built plugin: everything an
 * app runs, its type declarations and licence, and nothing of the repository's own tooling (sandbox, demo
 * seed, dev config, source maps). Needs `npm run build` first, as CI runs it before the tests.
 */
const root = path.resolve(__dirname, "..", "..")
const built = path.join(root, ".medusa", "server", "src")

type PackResult = { files: { path: string; size: number }[]; entryCount: number; unpackedSize: number }

describe("the packed plugin", () => {
  let files: string[] = []

  beforeAll(() => {
    if (!fs.existsSync(built)) {
      throw new Error(`${built} is missing: run \`npm run build\` before this test`)
    }
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    })
    const [result] = JSON.parse(out) as PackResult[]
    files = result.files.map((f) => f.path).sort()
  })

  it("holds the server code, the admin bundle, the declarations of every export and the licence", () => {
    const required = [
      "package.json",
      "LICENSE",
      "README.md",
      ".medusa/server/src/admin/index.mjs",
      ".medusa/server/src/admin/index.js",
      ".medusa/server/src/workflows/index.js",
      ".medusa/server/src/workflows/index.d.ts",
      ".medusa/server/src/modules/marketplace/index.js",
      ".medusa/server/src/modules/marketplace/index.d.ts",
      ".medusa/server/src/providers/shopee/index.js",
      ".medusa/server/src/providers/shopee/index.d.ts",
      ".medusa/server/src/providers/marketplace-fulfillment/index.js",
      ".medusa/server/src/providers/marketplace-fulfillment/index.d.ts",
      ".medusa/server/src/scripts/rotate-encryption-key.js",
      ".medusa/server/src/api/middlewares.js",
      ".medusa/server/src/links/connection-sales-channel.js",
    ]
    expect(files).toEqual(expect.arrayContaining(required))
    expect(files.some((f) => /^\.medusa\/server\/src\/modules\/marketplace\/migrations\/Migration\d+\.js$/.test(f))).toBe(true)
    expect(files.filter((f) => f.startsWith(".medusa/server/src/subscribers/")).length).toBeGreaterThan(5)
    expect(files.filter((f) => f.startsWith(".medusa/server/src/jobs/")).length).toBeGreaterThan(5)
  })

  it("leaves out the sandbox, the demo seed, the development config, tests and source maps", () => {
    const forbidden = files.filter(
      (f) =>
        /(^|\/)sandbox\//.test(f) ||
        /seed-demo/.test(f) ||
        /(^|\/)medusa-config\.(js|ts)$/.test(f) ||
        /(^|\/)(__tests__|integration-tests|bench|scripts)\//.test(f.replace(".medusa/server/src/scripts/", "")) ||
        f.endsWith(".map") ||
        (f.endsWith(".ts") && !f.endsWith(".d.ts"))
    )
    expect(forbidden).toEqual([])
    expect(files.every((f) => f.startsWith(".medusa/server/") || ["package.json", "LICENSE", "README.md"].includes(f))).toBe(true)
  })

  it("carries no inline source map or map reference in any file", () => {
    const withMaps = files
      .filter((f) => /\.(m?js|d\.ts)$/.test(f))
      .filter((f) => fs.readFileSync(path.join(root, f), "utf8").includes("sourceMappingURL"))
    expect(withMaps).toEqual([])
  })

  it("has a declaration for every `types` target of its exports", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      exports: Record<string, string | Record<string, string>>
    }
    const targets = Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [] : e.types ? [e.types] : []))
    expect(targets.length).toBeGreaterThan(3)
    for (const target of targets) {
      const pattern = new RegExp(
        "^" + target.replace(/^\.\//, "").replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".+") + "$"
      )
      expect({ target, found: files.some((f) => pattern.test(f)) }).toEqual({ target, found: true })
    }
  })
})
