#!/usr/bin/env node
/**
 * After `medusa plugin:build`: removes the source maps from the built plugin. Medusa's compiler inlines a map
 * (with the TypeScript source) into every file unless maps are written beside them; the published package
 * carries neither, and no file keeps a `sourceMappingURL` comment pointing at a map that is not there.
 */
const fs = require("fs")
const path = require("path")

const root = path.resolve(__dirname, "..", ".medusa", "server")
const MAP_COMMENT = /\n?\/\/# sourceMappingURL=\S+\s*$/

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      walk(file)
    } else if (entry.name.endsWith(".map")) {
      fs.rmSync(file)
    } else if (/\.(c|m)?js$|\.d\.ts$/.test(entry.name)) {
      const text = fs.readFileSync(file, "utf8")
      const stripped = text.replace(MAP_COMMENT, "\n")
      if (stripped !== text) {
        fs.writeFileSync(file, stripped)
      }
    }
  }
}

if (!fs.existsSync(root)) {
  console.error(`strip-source-maps: ${root} does not exist; run medusa plugin:build first`)
  process.exit(1)
}
walk(root)
