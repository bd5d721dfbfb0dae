/** Lazada's API host per country (API reference, "Endpoints"): one seller account may hold several countries. */
export const LAZADA_API_HOSTS: Record<string, string> = {
  sg: "https://api.lazada.sg/rest",
  my: "https://api.lazada.com.my/rest",
  th: "https://api.lazada.co.th/rest",
  ph: "https://api.lazada.com.ph/rest",
  vn: "https://api.lazada.vn/rest",
  id: "https://api.lazada.co.id/rest",
}

/** The shop's currency per country. */
export const LAZADA_CURRENCIES: Record<string, string> = {
  sg: "sgd",
  my: "myr",
  th: "thb",
  ph: "php",
  vn: "vnd",
  id: "idr",
}

/** Seller Center hosts per country, for the admin's order link. */
export const LAZADA_SELLER_CENTERS: Record<string, string> = {
  sg: "https://sellercenter.lazada.sg",
  my: "https://sellercenter.lazada.com.my",
  th: "https://sellercenter.lazada.co.th",
  ph: "https://sellercenter.lazada.com.ph",
  vn: "https://sellercenter.lazada.vn",
  id: "https://sellercenter.lazada.co.id",
}

/** The API host of a country: the template's when set (a sandbox), else Lazada's own; null for an unknown country. */
export function apiUrlFor(country: string, template: string | null): string | null {
  const code = country.trim().toLowerCase()
  if (!LAZADA_API_HOSTS[code]) return null
  return template ? template.replace(/\{country\}/g, code).replace(/\/+$/, "") : LAZADA_API_HOSTS[code]
}
