import { okTop, shopOf, type ApiRoute } from "../api"

/** v2.shop.get_shop_info: documented with its fields at the top level, not under `response`. */
export const getShopInfo: ApiRoute = {
  method: "GET",
  path: "/api/v2/shop/get_shop_info",
  type: "shop",
  handle(req) {
    const shop = shopOf(req)
    return okTop({
      shop_name: shop.shop_name,
      region: shop.region,
      status: shop.status,
      is_cb: false,
      is_sip: false,
      is_upgraded_cbsc: false,
      merchant_id: null,
      shop_fulfillment_flag: "Others",
      is_main_shop: false,
      is_direct_shop: false,
      linked_main_shop_id: 0,
      linked_direct_shop_list: [],
      sip_affi_shops: [],
      auth_time: shop.auth_time,
      expire_time: shop.expire_time,
    })
  },
}
