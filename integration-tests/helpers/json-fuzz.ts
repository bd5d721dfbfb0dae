/**
 * A seeded generator of hostile variations of a JSON body, for fuzzing routes that take signed JSON. It knows
 * nothing of any platform: it mutates whatever valid body it is given (values, keys, types, structure, bytes).
 * The same seed gives the same cases, so a failure can be replayed with FUZZ_SEED=<n>.
 */

/** mulberry32: a small, fast, seedable PRNG (period 2^32), plenty for picking mutations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Random = () => number

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]

/** A raw JSON fragment spliced into a body as written (numbers JSON.stringify cannot write, deep nesting). */
class RawJson {
  constructor(readonly text: string) {}
}

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth)

/** Values that have broken JSON handlers somewhere: out-of-range times, NUL, lone surrogates, huge numbers. */
const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  "",
  " ",
  "\u0000",
  "order\u0000sn",
  "\ud800",
  "\udfff tail",
  "x".repeat(5000),
  "😀",
  "<script>alert(1)</script>",
  "'; drop table marketplace_event; --",
  "2026-13-45T99:99:99Z",
  {},
  [],
  [1, 2, 3],
  { nested: { deeper: "\u0000" } },
  { "\u0000key": 1 },
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1e15,
  8.64e15,
  253402300800,
  new RawJson("1e400"),
  new RawJson("-1e400"),
  new RawJson("123456789012345678901234567890"),
  new RawJson("18446744073709551616"),
  new RawJson("0.0000000000000000000000000001"),
  new RawJson(nested(40)),
  new RawJson(nested(3000)),
]

const HOSTILE_KEYS = ["\u0000", "a\u0000b", "__proto__", "constructor", "", "x".repeat(300), "\ud800", "shop_id "]

/** Whole bodies that are no JSON object at all. */
const HOSTILE_BODIES: readonly string[] = [
  "",
  " ",
  "null",
  "[]",
  "42",
  '"a string"',
  "{",
  "}",
  "{not json",
  "\u0000",
  "{\"a\":\u0000}",
  "\ufeff{}",
  nested(5000),
  `{"a":${nested(5000)}}`,
  "{}".repeat(1000),
  "a=1&b=2",
  "<xml/>",
]

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/octet-stream",
  "multipart/form-data; boundary=x",
  "",
]

type Json = unknown

/** Paths to every value of a JSON document (objects and arrays), root excluded. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])])
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, Json>).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])])
  }
  return []
}

function parentOf(root: Json, path: (string | number)[]): Record<string | number, Json> {
  let node = root as Record<string | number, Json>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>
  return node
}

/** JSON text with RawJson fragments written as they are. */
function serialize(value: Json): string {
  const fragments: string[] = []
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof RawJson) {
      fragments.push(v.text)
      return `\u0001raw${fragments.length - 1}\u0001`
    }
    return v
  })
  return (text ?? "").replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i) => fragments[Number(i)])
}

export type Mutation = { kind: string; body: string; contentType: string }

/**
 * One hostile variation of `body` (a JSON object as text): a value replaced, a key added or removed, a type
 * swapped, the structure or the bytes broken, or the content type changed.
 */
export function mutate(random: Random, body: string): Mutation {
  const contentType = random() < 0.15 ? pick(random, CONTENT_TYPES) : "application/json"
  const doc = JSON.parse(body) as Json
  const all = paths(doc)
  const roll = random()
  if (roll < 0.35 && all.length) {
    const path = pick(random, all)
    parentOf(doc, path)[path[path.length - 1]] = pick(random, HOSTILE_VALUES)
    return { kind: `value at ${path.join(".")}`, body: serialize(doc), contentType }
  }
  if (roll < 0.5 && all.length) {
    const path = pick(random, all)
    const parent = parentOf(doc, path)
    if (Array.isArray(parent)) parent.splice(Number(path[path.length - 1]), 1)
    else delete parent[path[path.length - 1]]
    return { kind: `removed ${path.join(".")}`, body: serialize(doc), contentType }
  }
  if (roll < 0.6) {
    const objects = [[], ...all].filter((p) => {
      const node = p.length ? parentOf(doc, p)[p[p.length - 1]] : doc
      return node && typeof node === "object" && !Array.isArray(node)
    })
    const path = pick(random, objects)
    const node = (path.length ? parentOf(doc, path)[path[path.length - 1]] : doc) as Record<string, Json>
    Object.defineProperty(node, pick(random, HOSTILE_KEYS), {
      value: pick(random, HOSTILE_VALUES),
      enumerable: true,
      configurable: true,
      writable: true,
    })
    return { kind: `key added under ${path.join(".") || "root"}`, body: serialize(doc), contentType }
  }
  if (roll < 0.7 && all.length) {
    // The same value as another type: numbers as strings and back, scalars in arrays.
    const path = pick(random, all)
    const parent = parentOf(doc, path)
    const key = path[path.length - 1]
    const value = parent[key]
    parent[key] =
      typeof value === "number" ? String(value) : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : [value]
    return { kind: `type of ${path.join(".")}`, body: serialize(doc), contentType }
  }
  if (roll < 0.8) {
    return { kind: "hostile body", body: pick(random, HOSTILE_BODIES), contentType }
  }
  if (roll < 0.9) {
    // Bytes: truncated, a stray byte, doubled, wrapped deep.
    const cut = Math.floor(random() * body.length)
    const variants = [
      body.slice(0, cut),
      body.slice(0, cut) + "\u0000" + body.slice(cut),
      body + body,
      `${"[".repeat(4000)}${body}${"]".repeat(4000)}`,
      `{"wrapped":${body}}`,
      body.replace(/"/, "'"),
    ]
    return { kind: "bytes", body: pick(random, variants), contentType }
  }
  return { kind: "content type only", body, contentType: pick(random, CONTENT_TYPES) }
}
