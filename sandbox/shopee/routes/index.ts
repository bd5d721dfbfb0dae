import type { ApiRoute } from "../api"
import { accessTokenGet, authPartner, tokenGet } from "./auth"
import {
  createShippingDocument,
  downloadShippingDocument,
  getShippingDocumentResult,
  getShippingParameter,
  getMassTrackingNumber,
  getTrackingNumber,
  shipOrder,
} from "./logistics"
import { cancelOrder, getOrderDetail, getOrderList } from "./orders"
import { getEscrowDetail, getEscrowDetailBatch, getEscrowDetailBatchGet } from "./payment"
import { getItemBaseInfo, getItemList, getModelList, updatePrice, updateStock } from "./products"
import { confirmConsumedLostPushMessage, getLostPushMessage } from "./push"
import { confirmReturn, disputeReturn, getReturnDetail, getReturnList } from "./returns"
import { getShopInfo } from "./shop"

/** Every Shopee Open Platform v2 endpoint the sandbox serves. */
export const API_ROUTES: readonly ApiRoute[] = [
  authPartner,
  tokenGet,
  accessTokenGet,
  getShopInfo,
  getOrderList,
  getOrderDetail,
  cancelOrder,
  getEscrowDetail,
  getEscrowDetailBatch,
  getEscrowDetailBatchGet,
  getShippingParameter,
  shipOrder,
  getTrackingNumber,
  getMassTrackingNumber,
  createShippingDocument,
  getShippingDocumentResult,
  downloadShippingDocument,
  getReturnList,
  getReturnDetail,
  confirmReturn,
  disputeReturn,
  getItemList,
  getItemBaseInfo,
  getModelList,
  updateStock,
  updatePrice,
  getLostPushMessage,
  confirmConsumedLostPushMessage,
]
