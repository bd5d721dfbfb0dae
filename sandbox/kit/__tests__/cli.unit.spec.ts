import { parseSandboxArgs, type SandboxCliPlatform, type SandboxCliRegistry } from "../cli"

const platform = (id: string): SandboxCliPlatform => ({
  id,
  title: `${id} API`,
  flags: [
    { name: "app-key", kind: "string", default: "demo-key", describe: "app key" },
    { name: "app-id", kind: "int", default: 1, describe: "app id" },
  ],
  start: () => Promise.reject(new Error("not started in this test")),
})

describe("sandbox kit CLI", () => {
  const registry: SandboxCliRegistry = { alpha: platform("alpha"), beta: platform("beta") }

  it("selects the platform from the registry and reads the kit's and the platform's flags", () => {
    const args = parseSandboxArgs(
      ["--platform", "beta", "--port", "4099", "--app-id=7", "--seed-shop", "--orders-per-minute", "3", "--callback-url", "http://x/hook"],
      registry
    )
    expect(args.platform.id).toBe("beta")
    expect(args).toMatchObject({ port: 4099, host: "127.0.0.1", seedShop: true, ordersPerMinute: 3, callbackUrl: "http://x/hook", seed: undefined })
    expect(args.values.get("app-id")).toBe(7)
    expect(args.values.get("app-key")).toBe("demo-key")
  })

  it("names the known platforms when the platform is unknown or missing", () => {
    expect(() => parseSandboxArgs(["--platform", "gamma"], registry)).toThrow('Unknown platform "gamma" (known: alpha, beta)')
    expect(() => parseSandboxArgs(["--platform", "constructor"], registry)).toThrow(/Unknown platform "constructor"/)
    expect(() => parseSandboxArgs(["--port", "1"], registry)).toThrow("--platform is required (known: alpha, beta)")
    // With one platform registered it is the default.
    expect(parseSandboxArgs([], { alpha: platform("alpha") }).platform.id).toBe("alpha")
  })

  it("refuses unknown flags, bad numbers and a flow without the demo shop", () => {
    expect(() => parseSandboxArgs(["--platform", "alpha", "--partner-id", "1"], registry)).toThrow(/Unknown flag --partner-id for alpha/)
    expect(() => parseSandboxArgs(["--platform", "alpha", "--port", "abc"], registry)).toThrow("--port must be a whole number")
    expect(() => parseSandboxArgs(["--platform", "alpha", "--orders-per-minute", "2"], registry)).toThrow("--orders-per-minute needs --seed-shop")
    expect(() => parseSandboxArgs(["--platform", "alpha", "--app-key"], registry)).toThrow("--app-key needs a value")
    expect(() => parseSandboxArgs(["alpha"], registry)).toThrow("Unexpected argument alpha")
  })

  it("takes the seed from --seed, else from SANDBOX_SEED", () => {
    expect(parseSandboxArgs(["--platform", "alpha"], registry, { SANDBOX_SEED: "20261122" }).seed).toBe(20261122)
    expect(parseSandboxArgs(["--platform", "alpha", "--seed", "5"], registry, { SANDBOX_SEED: "20261122" }).seed).toBe(5)
    expect(() => parseSandboxArgs(["--platform", "alpha"], registry, { SANDBOX_SEED: "x" })).toThrow("SANDBOX_SEED must be a whole number")
  })
})
