import { createCipheriv, createDecipheriv, createHash, randomBytes } from "crypto"

const ALGORITHM = "aes-256-gcm"
const IV_BYTES = 12
const FORMAT = "v1"

export const KEY_HELP =
  "Set MARKETPLACE_ENCRYPTION_KEY (module option `encryptionKey`) to 32 random bytes, base64-encoded. " +
  "Make one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\""

/** Thrown when a key is missing or malformed; the message says how to make a valid one. */
export class EncryptionKeyError extends Error {
  constructor(detail: string) {
    super(`Marketplace module: ${detail}. ${KEY_HELP}`)
    this.name = "EncryptionKeyError"
  }
}

/**
 * A sealed secret that none of the configured keys opens: sealed with a key that is no longer configured, or
 * altered. Not a configuration error of the running app (its key is valid): the secret has to be sealed again,
 * by restoring the old key as a previous key or by authorizing again.
 */
export class UnreadableSecretError extends Error {
  constructor(readonly detail: string) {
    super(`Marketplace module: ${detail}`)
    this.name = "UnreadableSecretError"
  }
}

export interface EncryptionKey {
  /** A short fingerprint stored beside each ciphertext, so rotation knows which key sealed it. */
  id: string
  key: Buffer
}

/** Decodes and checks a base64 key: exactly 32 bytes. */
export function parseEncryptionKey(value: unknown, label = "the encryption key"): EncryptionKey {
  if (typeof value !== "string" || !value.trim()) {
    throw new EncryptionKeyError(`${label} is missing`)
  }
  const trimmed = value.trim()
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new EncryptionKeyError(`${label} is not base64`)
  }
  const key = Buffer.from(trimmed, "base64")
  if (key.length !== 32) {
    throw new EncryptionKeyError(`${label} decodes to ${key.length} bytes, not 32`)
  }
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 8), key }
}

/** Parses a comma-separated list of earlier keys (or an array), used only to decrypt during rotation. */
export function parseKeyList(value: unknown): EncryptionKey[] {
  if (value === undefined || value === null || value === "") {
    return []
  }
  const list = Array.isArray(value) ? value : String(value).split(",")
  return list
    .map((v) => String(v).trim())
    .filter(Boolean)
    .map((v, i) => parseEncryptionKey(v, `previous encryption key #${i + 1}`))
}

const b64 = (buf: Buffer) => buf.toString("base64url")

/**
 * Seals secrets with AES-256-GCM. The associated data (the connection id) binds a ciphertext to its row:
 * a sealed value copied onto another connection does not decrypt.
 */
export class SecretBox {
  readonly current: EncryptionKey
  private readonly keys: Map<string, EncryptionKey>

  constructor(current: EncryptionKey, previous: EncryptionKey[] = []) {
    this.current = current
    this.keys = new Map([...previous, current].map((k) => [k.id, k]))
  }

  seal(plaintext: string, associatedData: string): { ciphertext: string; key_id: string } {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv)
    cipher.setAAD(Buffer.from(associatedData, "utf8"))
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
    const tag = cipher.getAuthTag()
    return {
      ciphertext: [FORMAT, this.current.id, b64(iv), b64(tag), b64(body)].join("."),
      key_id: this.current.id,
    }
  }

  open(sealed: string, associatedData: string): string {
    const [format, keyId, iv, tag, body] = sealed.split(".")
    if (format !== FORMAT || !keyId || !iv || !tag || body === undefined) {
      throw new UnreadableSecretError("a sealed secret has an unknown format")
    }
    const key = this.keys.get(keyId)
    if (!key) {
      throw new UnreadableSecretError(
        `a secret was sealed with key ${keyId}, which is neither the current key nor a previous one ` +
          "(set MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS to rotate)"
      )
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key.key, Buffer.from(iv, "base64url"))
      decipher.setAAD(Buffer.from(associatedData, "utf8"))
      decipher.setAuthTag(Buffer.from(tag, "base64url"))
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8")
    } catch {
      throw new UnreadableSecretError(`a secret sealed with key ${keyId} does not open: it was altered or moved`)
    }
  }
}
