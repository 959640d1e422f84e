/** Format fen as ¥12.34 for people; the API always speaks integer fen. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** A fee in fen from basis points, rounded half up, with an optional cap. */
export function feeFor(amount: number, bps: number, capFen: number | null): number {
  const fee = Math.floor((amount * bps + 5000) / 10000);
  return capFen === null ? fee : Math.min(fee, capFen);
}
