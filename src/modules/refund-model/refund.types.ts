// The words of a refund's state, with no dependencies, so that table types can use them.

export type RefundType = 'refund' | 'void';
export type RefundStatus =
  | 'requires_authorization'
  | 'pending_approval'
  | 'processing'
  | 'succeeded'
  | 'canceled'
  | 'expired'
  | 'failed';
export type AuthorizationFactor = 'refund_key' | 'one_time_code' | 'approval';
