import { rerunCoalescer } from "../rerun-coalescer"

/** Work that counts its runs and ends when released. */
function gate() {
  let runs = 0
  const releases: ((error?: Error) => void)[] = []
  const work = () =>
    new Promise<void>((resolve, reject) => {
      runs++
      releases.push((error) => (error ? reject(error) : resolve()))
    })
  return { work, releases, runs: () => runs }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe("rerunCoalescer", () => {
  it("runs once at a time, and the calls made during a run cost one more run after it", async () => {
    const g = gate()
    const call = rerunCoalescer(g.work)
    const starter = call()
    await tick()
    expect(g.runs()).toBe(1)
    // Three calls while it runs: they return at once, and one run follows.
    await Promise.all([call(), call(), call()])
    expect(g.runs()).toBe(1)
    g.releases[0]()
    await tick()
    expect(g.runs()).toBe(2)
    g.releases[1]()
    await starter
    expect(g.runs()).toBe(2)
    // Idle again: the next call runs at once.
    const next = call()
    await tick()
    expect(g.runs()).toBe(3)
    g.releases[2]()
    await next
  })

  it("goes on after a failed run when calls wait, and reports a failure no run followed", async () => {
    const g = gate()
    const call = rerunCoalescer(g.work)
    const starter = call()
    await tick()
    void call()
    g.releases[0](new Error("lock timeout"))
    await tick()
    expect(g.runs()).toBe(2)
    g.releases[1](new Error("database gone"))
    await expect(starter).rejects.toThrow("database gone")
    // Not stuck: the next call runs.
    const next = call()
    await tick()
    expect(g.runs()).toBe(3)
    g.releases[2]()
    await expect(next).resolves.toBeUndefined()
  })
})
