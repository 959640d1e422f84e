/** Amounts travel as integer fen; people read and type yuan. */

const YUAN = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123456 → "¥1,234.56"; negative amounts keep their sign before the symbol. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  return `${sign}¥${YUAN.format(Math.abs(fen) / 100)}`;
}

/**
 * "12.34" → 1234. Refuses anything that is not a plain non-negative decimal with at most two places, so a typo never
 * becomes a different amount (no rounding, no "1e3", no thousands separators).
 */
export function parseYuan(text: string): number | undefined {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + cents;
}
