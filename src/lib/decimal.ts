/**
 * The typed input of a model's bigNumber field is `number`, but Medusa stores any BigNumberInput exactly.
 * Money stays a decimal string end to end; this only tells the compiler so.
 */
export const decimal = (value: string): number => value as unknown as number
