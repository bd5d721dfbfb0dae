import { Lifecycle, type StatusTable } from "../lifecycle"

type S = "NEW" | "PAID" | "SHIPPED" | "DONE" | "VOID"
interface E {
  status: S
  t: number
  entered: [S, number][]
}

const TABLE: StatusTable<S> = {
  next: { NEW: "PAID", PAID: "SHIPPED", SHIPPED: "DONE" },
  pathTo: (target) => (target === "VOID" ? ["VOID"] : (["PAID", "SHIPPED", "DONE"] as S[]).slice(0, ["PAID", "SHIPPED", "DONE"].indexOf(target) + 1)),
  terminal: ["DONE", "VOID"],
}

describe("sandbox kit lifecycle engine", () => {
  let now: number
  let announced: [S, S, number][]
  let engine: Lifecycle<S, E>
  const entity = (t = 1000): E => ({ status: "NEW", t, entered: [] })

  beforeEach(() => {
    now = 5000
    announced = []
    engine = new Lifecycle(TABLE, {
      now: () => now,
      status: (e) => e.status,
      updateTime: (e) => e.t,
      setUpdateTime: (e, t) => {
        e.t = t
      },
      enter: (e, status, t) => {
        e.status = status
        e.entered.push([status, t])
      },
      announce: (_e, status, previous, t) => announced.push([previous, status, t]),
    })
  })

  it("advances along the table and announces each live change with a strictly later update time", () => {
    const e = entity(now)
    expect(engine.advance(e)).toBe("PAID")
    expect(engine.advance(e)).toBe("SHIPPED")
    // Same second: still strictly later.
    expect(announced).toEqual([
      ["NEW", "PAID", now + 1],
      ["PAID", "SHIPPED", now + 2],
    ])
    now += 100
    expect(engine.advance(e, "DONE")).toBe("DONE")
    expect(e.t).toBe(now)
    expect(engine.isTerminal(e.status)).toBe(true)
    expect(engine.advance(e)).toBeUndefined()
    expect(announced).toHaveLength(3)
  })

  it("settles a new entity along its path silently, spaced but never after now", () => {
    const e = entity(1000)
    engine.settle(e, "SHIPPED", 1000, (status) => (status === "PAID" ? 120 : 3600))
    expect(e.entered).toEqual([
      ["PAID", 1120],
      ["SHIPPED", 4720],
    ])
    expect(announced).toEqual([])

    const late = entity(4000)
    engine.settle(late, "DONE", 4000, () => 3600)
    expect(late.entered).toEqual([
      ["PAID", 5000],
      ["SHIPPED", 5000],
      ["DONE", 5000],
    ])

    const ahead = entity(9000)
    engine.settle(ahead, "VOID", 9000, () => 60)
    expect(ahead.entered).toEqual([["VOID", 9000]])
  })
})
