const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

const suites = {
  unit: ["**/src/**/__tests__/**/*.unit.spec.[jt]s", "**/sandbox/**/__tests__/**/*.unit.spec.[jt]s"],
  "integration:modules": ["**/src/modules/*/__tests__/**/*.spec.[jt]s"],
  "integration:http": ["**/integration-tests/http/**/*.spec.[jt]s"],
  "integration:providers": ["**/src/providers/*/__tests__/**/*.int.spec.[jt]s"],
  // A real browser (Debian's chromium through playwright-core) against a running app and the Shopee sandbox.
  browser: ["**/integration-tests/browser/**/*.spec.[jt]s"],
  // The packed plugin installed into a new Medusa app made in a temp folder, booted and opened in chromium.
  install: ["**/integration-tests/install/**/*.spec.[jt]s"],
}

const testType = process.env.TEST_TYPE
if (!suites[testType]) {
  throw new Error(`Set TEST_TYPE to one of: ${Object.keys(suites).join(", ")}`)
}

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", decorators: true, tsx: true },
          target: "es2021",
        },
      },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  setupFiles: ["./integration-tests/setup.js"],
  testMatch: suites[testType],
  // Integration suites run in two workers (each spec file boots its own Medusa app on its own database and its
  // own sandbox ports); a worker that has grown past this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: "2GB",
  testTimeout: testType === "browser" ? 180000 : testType === "install" ? 1200000 : 120000,
}
