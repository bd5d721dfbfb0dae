import { wrongParam } from "./errors"

/**
 * Readers for Shopee request parameters: GET parameters come from the query string, POST
 * parameters from the JSON body. Malformed values answer error_param as the docs' template does.
 */

export function queryInt(query: URLSearchParams, name: string, required: true): number
export function queryInt(query: URLSearchParams, name: string, required?: false): number | undefined
export function queryInt(query: URLSearchParams, name: string, required = false): number | undefined {
  const raw = query.get(name)
  if (raw === null || raw === "") {
    if (required) throw wrongParam(`${name} is a required field`)
    return undefined
  }
  if (!/^-?\d+$/.test(raw)) {
    throw wrongParam(`${name} should be an integer`)
  }
  return Number(raw)
}

export function queryString(query: URLSearchParams, name: string, required: true): string
export function queryString(query: URLSearchParams, name: string, required?: false): string | undefined
export function queryString(query: URLSearchParams, name: string, required = false): string | undefined {
  const raw = query.get(name)
  if (raw === null || raw === "") {
    if (required) throw wrongParam(`${name} is a required field`)
    return undefined
  }
  return raw
}

/** Comma-separated list ("a,b,c"); also tolerates a JSON-ish "[a,b]" as the docs' samples show. */
export function queryList(query: URLSearchParams, name: string): string[] {
  const raw = query.getAll(name).join(",")
  return raw
    .replace(/^\[|\]$/g, "")
    .split(",")
    .map((v) => v.trim().replace(/^"|"$/g, ""))
    .filter((v) => v.length > 0)
}

export function bodyInt(body: Record<string, unknown>, name: string, required: true): number
export function bodyInt(body: Record<string, unknown>, name: string, required?: false): number | undefined
export function bodyInt(body: Record<string, unknown>, name: string, required = false): number | undefined {
  return asInt(body[name], name, required)
}

export function asInt(value: unknown, name: string, required = false): number | undefined {
  if (value === undefined || value === null) {
    if (required) throw wrongParam(`${name} is a required field`)
    return undefined
  }
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw wrongParam(`${name} should be an integer`)
  }
  return value
}

export function bodyString(body: Record<string, unknown>, name: string, required: true): string
export function bodyString(body: Record<string, unknown>, name: string, required?: false): string | undefined
export function bodyString(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = body[name]
  if (value === undefined || value === null || value === "") {
    if (required) throw wrongParam(`${name} is a required field`)
    return undefined
  }
  if (typeof value !== "string") {
    throw wrongParam(`${name} should be a string`)
  }
  return value
}

export function bodyArray(body: Record<string, unknown>, name: string, required = false): unknown[] | undefined {
  const value = body[name]
  if (value === undefined || value === null) {
    if (required) throw wrongParam(`${name} is a required field`)
    return undefined
  }
  if (!Array.isArray(value)) {
    throw wrongParam(`${name} should be an array`)
  }
  return value
}

export function asRecord(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw wrongParam(`${name} should be an object`)
  }
  return value as Record<string, unknown>
}

/** Shopee allows at most 15 days between the two ends of a time window. */
export const FIFTEEN_DAYS_SECONDS = 15 * 86400
