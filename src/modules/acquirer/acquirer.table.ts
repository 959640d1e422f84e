export interface AcquirerSandboxOpsTable {
  reference: string;
  kind: 'charge' | 'refund';
  amount: number;
  status: 'approved' | 'declined' | 'user_paying';
  decline_code: string | null;
  settles_at: number;
  created_at: number;
}
