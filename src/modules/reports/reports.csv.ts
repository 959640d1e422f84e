import type { ListedSale, RefundSummary } from './reports.schemas.js';

/**
 * CSV of the transaction lists for a merchant's accountant: UTF-8 with a byte-order mark (Excel on Chinese Windows
 * reads it as GBK otherwise), headers in Chinese and English, amounts in yuan with 2 decimals, times in Beijing time,
 * the card masked as the API shows it. A cell that starts like a formula is quoted with a leading apostrophe so that
 * a refund reason typed at a till cannot run in the spreadsheet (CSV injection).
 */
export function salesCsv(rows: ListedSale[]): string {
  return csv(
    [
      '交易号 Reference',
      '时间 Time (UTC+8)',
      '门店 Store',
      '终端 Terminal',
      '操作员 Operator',
      '支付方式 Method',
      '卡号/付款码 Card / code',
      '金额(元) Amount (CNY)',
      '已退款(元) Refunded (CNY)',
      '状态 Status',
      '批次 Batch',
    ],
    rows.map((s) => [
      s.id,
      beijing(s.created_at),
      s.store_id,
      s.terminal_id,
      s.operator_id,
      methodOf(s.payment_method),
      instrumentOf(s.payment_method),
      yuan(s.amount),
      yuan(s.refunded_amount),
      s.status,
      s.batch_id,
    ]),
  );
}

export function refundsCsv(rows: RefundSummary[]): string {
  return csv(
    [
      '退款号 Reference',
      '原交易号 Sale',
      '类型 Type',
      '时间 Time (UTC+8)',
      '门店 Store',
      '终端 Terminal',
      '操作员 Operator',
      '金额(元) Amount (CNY)',
      '原因 Reason',
      '状态 Status',
      '完成时间 Completed (UTC+8)',
    ],
    rows.map((r) => [
      r.id,
      r.sale_id,
      r.type,
      beijing(r.created_at),
      r.store_id,
      r.terminal_id,
      r.operator_id,
      yuan(r.amount),
      r.reason,
      r.status,
      r.completed_at ? beijing(r.completed_at) : '',
    ]),
  );
}

/** Fen to yuan with exactly 2 decimals, without going through floating point. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An ISO instant as `YYYY-MM-DD HH:mm:ss` in Beijing time (UTC+8 all year, no daylight saving). */
export function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

type Method = ListedSale['payment_method'];

function methodOf(m: Method): string {
  if (m.type === 'bank_card') return 'card';
  if (m.type === 'qr') return m.wallet;
  return m.type;
}

function instrumentOf(m: Method): string {
  if (m.type === 'bank_card') return m.card.masked;
  if (m.type === 'qr') return m.auth_code_masked;
  if (m.type === 'order') return m.order_no;
  return '';
}

function csv(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => cells.map(cell).join(',');
  return `\uFEFF${[line(header), ...rows.map(line)].join('\r\n')}\r\n`;
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
