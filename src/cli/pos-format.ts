import type { PendingOperation, Refund, Sale, Settlement } from '../sdk/index.js';

/** Integer fen as ¥1,234.56 (how every amount is shown to people). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.5", "12.50", "¥1,234.56" → fen; undefined for anything else (no rounding of a third decimal). */
export function parseYuan(text: string): number | undefined {
  const match = /^¥?(\d{1,9}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match?.[1]) return undefined;
  const whole = Number(match[1].replaceAll(',', ''));
  const cents = Number((match[2] ?? '').padEnd(2, '0') || '0');
  const fen = whole * 100 + cents;
  return Number.isSafeInteger(fen) && fen > 0 ? fen : undefined;
}

/** An ISO instant as `YYYY-MM-DD HH:mm:ss` Beijing time (UTC+8 all year). */
export function beijingTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

const SALE_STATUS: Record<string, string> = {
  pending: '处理中 pending',
  succeeded: '成功 succeeded',
  declined: '拒绝 declined',
  voided: '已撤销 voided',
};
const REFUND_STATUS: Record<string, string> = {
  requires_authorization: '待授权 requires authorization',
  pending_approval: '待审批 waiting for approval',
  processing: '处理中 processing',
  succeeded: '成功 succeeded',
  canceled: '已取消 canceled',
  expired: '已过期 expired',
  failed: '失败 failed',
};
const FACTOR: Record<string, string> = {
  refund_key: '退款密钥 refund key',
  one_time_code: '验证码 one-time code',
  approval: '主管审批 manager approval',
};
const METHOD: Record<string, string> = {
  bank_card: '银行卡 card',
  qr: '扫码 QR',
  order: '订单 order',
  cash: '现金 cash',
};

/** How the customer paid, one short line (card masked as the server masks it). */
export function methodLine(method: Sale['payment_method']): string {
  switch (method.type) {
    case 'bank_card':
      return `${METHOD.bank_card} ${method.card.brand} ${method.card.funding} ${method.card.masked}`;
    case 'qr':
      return `${METHOD.qr} ${method.wallet} ${method.auth_code_masked}`;
    case 'order':
      return `${METHOD.order} ${method.order_no}`;
    case 'cash':
      return `${METHOD.cash} 收 tendered ${yuan(method.tendered)}, 找零 change ${yuan(method.change)}`;
  }
}

/** Label/value lines, labels padded so the values line up. */
export function table(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => displayWidth(label)));
  return rows.map(([label, value]) => `${label}${' '.repeat(width - displayWidth(label))}  ${value}`).join('\n');
}

/** Columns of a list, padded (CJK characters count double, as a terminal shows them). */
export function columns(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return width;
}

export function saleText(sale: Sale): string {
  return table([
    ['交易 Sale', sale.id],
    ['状态 Status', SALE_STATUS[sale.status] ?? sale.status],
    ['金额 Amount', yuan(sale.amount)],
    ['支付 Paid by', methodLine(sale.payment_method)],
    ['已退 Refunded', yuan(sale.refunded_amount)],
    ['可退 Refundable', yuan(sale.refundable_amount)],
    ['时间 Time', `${beijingTime(sale.created_at)} 北京时间 Beijing`],
    ...(sale.decline_code ? ([['拒绝原因 Decline', sale.decline_code]] as Array<[string, string]>) : []),
  ]);
}

export function refundText(refund: Refund): string {
  const auth = refund.authorization;
  const still = auth.required.filter((f) => !auth.satisfied.includes(f));
  const rows: Array<[string, string]> = [
    [refund.type === 'void' ? '撤销 Void' : '退款 Refund', refund.id],
    ['交易 Sale', refund.sale_id],
    ['状态 Status', REFUND_STATUS[refund.status] ?? refund.status],
    ['金额 Amount', yuan(refund.amount)],
    ['原因 Reason', refund.reason],
  ];
  if (refund.status === 'requires_authorization' || refund.status === 'pending_approval') {
    rows.push(['还需 Still needed', still.map((f) => FACTOR[f] ?? f).join(', ') || '-']);
    if (auth.code_sent_to.length > 0) rows.push(['验证码已发送至 Code sent to', auth.code_sent_to.join(', ')]);
    if (auth.code_expires_at) rows.push(['验证码有效至 Code valid until', beijingTime(auth.code_expires_at)]);
    if (auth.attempts_left !== null && auth.attempts_left !== undefined) {
      rows.push(['剩余次数 Attempts left', String(auth.attempts_left)]);
    }
  }
  return table(rows);
}

export function settlementText(settlement: Settlement): string {
  const line = (label: string, l: Settlement['totals']) => [
    label,
    `${l.sales.count}`,
    yuan(l.sales.amount),
    `${l.voids.count}`,
    yuan(l.voids.amount),
    `${l.refunds.count}`,
    yuan(l.refunds.amount),
    yuan(l.fees),
    yuan(l.net),
  ];
  return [
    table([
      ['结算 Settlement', settlement.id],
      ['时段 Period', `${beijingTime(settlement.opened_at)} → ${beijingTime(settlement.closed_at)} 北京时间 Beijing`],
    ]),
    '',
    columns(
      ['方式 Method', '笔 n', '消费 Sales', '笔 n', '撤销 Voids', '笔 n', '退款 Refunds', '手续费 Fees', '净额 Net'],
      [
        ...settlement.by_method.map((l) => line(METHOD[l.method] ?? l.method, l)),
        line('合计 Total', settlement.totals),
      ],
    ),
  ].join('\n');
}

export function salesList(sales: Sale[]): string {
  if (sales.length === 0) return '今日暂无交易 No sales today';
  return columns(
    ['时间 Time', '交易 Sale', '方式 Method', '金额 Amount', '可退 Refundable', '状态 Status'],
    sales.map((s) => [
      beijingTime(s.created_at).slice(11),
      s.id,
      METHOD[s.payment_method.type] ?? s.payment_method.type,
      yuan(s.amount),
      yuan(s.refundable_amount),
      SALE_STATUS[s.status] ?? s.status,
    ]),
  );
}

export function pendingList(pending: PendingOperation[]): string {
  if (pending.length === 0) return '无待恢复操作 Nothing pending';
  return columns(
    ['操作 Operation', '发出 Sent', '次数 Tries', '原因 Why'],
    pending.map((op) => [op.kind, beijingTime(op.created_at), String(op.attempts), op.last_error ?? '-']),
  );
}
