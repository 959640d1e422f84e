import { defineErrors } from '../../lib/errors.js';

export const ReportErrors = defineErrors({
  EXPORT_TOO_LARGE: {
    status: 422,
    zh: '导出的记录过多，请缩小日期范围或增加筛选条件',
    en: 'Too many rows to export; narrow the date range or add filters',
  },
  RANGE_TOO_LONG: {
    status: 400,
    zh: '日期范围不能超过 92 天',
    en: 'The date range may not exceed 92 days',
  },
});
