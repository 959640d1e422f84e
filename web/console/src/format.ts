import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

export { formatYuan } from '../../shared/money.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Merchants read times in Beijing time whatever the device's zone (PRODUCT.md): "2026-12-05 14:03". */
export function formatBeijing(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  return dayjs(iso)
    .tz('Asia/Shanghai')
    .format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}

/** Whole seconds from now until `iso` (0 when past). */
export function secondsUntil(iso: string, now = Date.now()): number {
  return Math.max(0, Math.floor((new Date(iso).getTime() - now) / 1000));
}

/** A Beijing calendar day's first instant, as the ISO string the API's date filters take. */
export function beijingDayStart(day: Dayjs): string {
  return dayjs.tz(day.format('YYYY-MM-DD'), 'Asia/Shanghai').toISOString();
}

export { dayjs };
