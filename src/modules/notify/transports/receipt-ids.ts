/**
 * How an SMSC writes message ids in its delivery receipts compared with submit_sm_resp (Kannel's `msg-id-type`):
 * `same`, or `decimal` receipts for hex submit ids, or `hex` receipts for decimal submit ids (SMPP_RECEIPT_ID_FORM).
 */
export type ReceiptIdForm = 'same' | 'decimal' | 'hex';

function parse(id: string, radix: 10 | 16): bigint | undefined {
  const pattern = radix === 16 ? /^[0-9a-f]{1,32}$/i : /^[0-9]{1,40}$/;
  return pattern.test(id) ? BigInt(radix === 16 ? `0x${id}` : id) : undefined;
}

/**
 * The key a part is filed under, from the id submit_sm_resp gave: as is for `same`; otherwise its number in decimal
 * (no leading zeros, no letter case), which the receipt side produces too. An id that is not a number stays as is.
 */
export function submittedKey(id: string, form: ReceiptIdForm): string {
  if (form === 'same') return id;
  return parse(id, form === 'decimal' ? 16 : 10)?.toString(10) ?? id;
}

/** The key a delivery receipt's id matches: the same canonical form as `submittedKey`. */
export function receiptKey(id: string, form: ReceiptIdForm): string {
  if (form === 'same') return id;
  return parse(id, form === 'decimal' ? 10 : 16)?.toString(10) ?? id;
}
