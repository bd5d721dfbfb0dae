import { classifyLazadaError } from "../errors"
import { cancelCreateAnswerSchema, cancelValidateAnswerSchema } from "../schemas"

/** The answers of the guide "Order cancellation" (its response demos), and the cancellation APIs' error codes. */
describe("Lazada seller cancellation answers", () => {
  it("reads OrderCancelValidate's reasons and InitReverseOrderCancel's tip as the guide shows them", () => {
    const validation = cancelValidateAnswerSchema.parse({
      data: {
        tip_content: "SKU stock may be set to 0* after cancellation due to reasons: 'out of stock' or 'incorrect pricing'",
        reason_options: [
          { reason_name: "Sourcing Delay", reason_id: "10000019" },
          { reason_name: "Out of Stock", reason_id: "10000021" },
          { reason_name: "Wrong Price or Pricing Error", reason_id: 10000023 },
        ],
        tip_type: "warning",
      },
      code: "0",
      request_id: "2101069616872400092505868",
    })
    expect(validation.data.reason_options?.map((o) => o.reason_id)).toEqual(["10000019", "10000021", "10000023"])
    const created = cancelCreateAnswerSchema.parse({ data: { tip_content: "The order has been cancelled", tip_type: "success" }, code: "0", request_id: "2140c3e616872414077912824" })
    expect(created.data?.tip_type).toBe("success")
    expect(cancelValidateAnswerSchema.safeParse({ code: "0", data: { reason_options: [{ reason_name: "x", reason_id: "abc" }] } }).success).toBe(false)
  })

  it("classifies the cancellation APIs' codes", () => {
    expect(classifyLazadaError("123", 200)).toBe("not_allowed")
    expect(classifyLazadaError("122", 200)).toBe("not_found")
    expect(classifyLazadaError("124", 200)).toBe("not_found")
    expect(classifyLazadaError("106", 200)).toBe("server")
    expect(classifyLazadaError("104", 200)).toBe("validation")
  })
})
