/** Shopee markets: currency and Seller Centre host per shop region (the region codes Shopee answers). */
const REGIONS: Record<string, { currency: string; sellerCentre: string }> = {
  SG: { currency: "sgd", sellerCentre: "https://seller.shopee.sg" },
  MY: { currency: "myr", sellerCentre: "https://seller.shopee.com.my" },
  PH: { currency: "php", sellerCentre: "https://seller.shopee.ph" },
  TH: { currency: "thb", sellerCentre: "https://seller.shopee.co.th" },
  VN: { currency: "vnd", sellerCentre: "https://banhang.shopee.vn" },
  ID: { currency: "idr", sellerCentre: "https://seller.shopee.co.id" },
  TW: { currency: "twd", sellerCentre: "https://seller.shopee.tw" },
  BR: { currency: "brl", sellerCentre: "https://seller.shopee.com.br" },
  MX: { currency: "mxn", sellerCentre: "https://seller.shopee.com.mx" },
  CO: { currency: "cop", sellerCentre: "https://seller.shopee.com.co" },
  CL: { currency: "clp", sellerCentre: "https://seller.shopee.cl" },
}

/** Lower-case ISO 4217 currency of a shop region, or null. */
export function currencyForRegion(region: string | null | undefined): string | null {
  return region ? REGIONS[region.toUpperCase()]?.currency ?? null : null
}

export function sellerCentreForRegion(region: string | null | undefined): string | null {
  return region ? REGIONS[region.toUpperCase()]?.sellerCentre ?? null : null
}
