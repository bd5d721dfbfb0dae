import crypto from "crypto"

/** 32 lowercase hex characters: the shape of tokens, codes, message and request ids on most platforms. */
export function randomHex32(): string {
  return crypto.randomBytes(16).toString("hex")
}
