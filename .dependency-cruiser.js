/**
 * The import rules of the plugin (`npm run lint:deps`, run in CI after the type check).
 *
 * Layers, from the top: `src/api`, `src/jobs`, `src/subscribers` (and `src/scripts`, `src/admin`) ->
 * `src/orchestration/<domain>` (the loops that call workflows) -> `src/workflows` -> `src/lib`,
 * `src/modules`, `src/providers`, `src/links`. Imports only point down. Type-only imports count too: a type
 * borrowed from a layer above ties the two layers together as much as a value does. Tests (`__tests__`) may
 * import any layer; the platform and cycle rules apply to them as well.
 *
 * A platform is a folder under src/providers/ (shopee, tiktok-shop, lazada, ...). `kit`, the contract
 * (`types*`, `errors*`) and `marketplace-fulfillment` are not platforms: they are shared by every platform.
 */

/** Any file inside a platform's folder. */
const PLATFORM = "^src/providers/(?!(?:kit|types|errors|marketplace-fulfillment|locking-redis)(?:/|[.]|$))[^/]+/"
/**
 * Provider folders every provider may import besides its own: the kit and the contract when it is a folder.
 * Files directly in src/providers/ (types.ts, errors.ts, a base class) are the contract and always allowed.
 */
const SHARED_PROVIDER_FOLDERS = "^src/providers/(?:kit|types|errors)/"

const TOP = "^src/(?:api|jobs|subscribers|scripts|admin)/"
/** Tests may import whatever they test, from any layer (cycles still count). */
const TESTS = "/__tests__/"
const BELOW_ORCHESTRATION = "^src/(?:workflows|lib|modules|providers|links)/"
const BELOW_WORKFLOWS = "^src/(?:lib|modules|providers|links)/"

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      severity: "error",
      comment:
        "This import closes a cycle. Move what both files need into a third file below them (a pure helper " +
        "into src/lib/, a step's helper into the workflow's own utils/), or pass the value in as an argument. " +
        "Only data models of one module may reference each other (relations need both sides).",
      from: {},
      to: {
        circular: true,
        via: { pathNot: "^src/modules/[^/]+/models/" },
      },
    },
    {
      name: "no-import-of-entry-points",
      severity: "error",
      comment:
        "Routes, jobs, subscribers, scripts and the admin are entry points: nothing imports them. Move the code " +
        "you need into src/orchestration/<domain>/ (a loop that calls workflows), src/workflows/ or src/lib/ " +
        "and import it from there in both places.",
      from: { pathNot: [TOP, TESTS] },
      to: { path: TOP },
    },
    {
      name: "no-orchestration-below",
      severity: "error",
      comment:
        "Workflows, lib, modules, providers and links must not import the orchestration layer (it calls them). " +
        "If a workflow step needs this code, move the code into the workflow's own steps or utils/, or into " +
        "src/lib/ when it is a pure helper, and let the orchestration import it from there.",
      from: { path: BELOW_ORCHESTRATION, pathNot: TESTS },
      to: { path: "^src/orchestration/" },
    },
    {
      name: "no-workflows-below",
      severity: "error",
      comment:
        "Lib, modules, providers and links sit below the workflows and must not import them. Move the shared " +
        "code down into src/lib/ (or the module), or have a workflow or the orchestration call down into it.",
      from: { path: BELOW_WORKFLOWS, pathNot: TESTS },
      to: { path: "^src/workflows/" },
    },
    {
      name: "no-platform-in-core",
      severity: "error",
      comment:
        "The core never names a platform: depend on the provider contract (src/providers/types) and get the " +
        "provider from the module's registry (marketplace.getProvider(platform)). Platform-specific logic " +
        "belongs inside the platform's folder, behind the contract.",
      from: { path: "^src/", pathNot: PLATFORM },
      to: { path: PLATFORM },
    },
    {
      name: "no-provider-to-provider",
      severity: "error",
      comment:
        "A provider only imports its own folder, the kit (src/providers/kit) and the contract " +
        "(src/providers/types, src/providers/errors). Move what two providers share into the kit or the contract.",
      from: { path: "^src/providers/([^/.]+)/" },
      to: { path: "^src/providers/[^/]+/", pathNot: ["^src/providers/$1/", SHARED_PROVIDER_FOLDERS] },
    },
    {
      name: "no-platform-in-sandbox",
      severity: "error",
      comment:
        "The sandbox is written from the platform's documentation, separately from the client it tests: it must " +
        "not import a platform's provider (its signer, schemas or mapping). Write the sandbox's own version in " +
        "sandbox/<platform>/ (or the generic part in the sandbox kit).",
      from: { path: "^sandbox/" },
      to: { path: PLATFORM },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(?:^|/)(?:node_modules|[.]medusa)/" },
    // Type-only imports are dependencies too (see above).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.spec.json" },
    moduleSystems: ["es6", "cjs"],
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
}
