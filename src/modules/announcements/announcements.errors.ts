import { defineErrors } from '../../lib/errors.js';

/** Errors of announcements (announcements.service.ts). */
export const AnnouncementErrors = defineErrors({
  ANNOUNCEMENT_NOT_FOUND: { status: 404, zh: '公告不存在', en: 'No such announcement' },
  ANNOUNCEMENT_WINDOW_INVALID: {
    status: 422,
    zh: '结束时间必须晚于开始时间，且不早于现在',
    en: 'The end must be after the start and not in the past',
  },
  ANNOUNCEMENT_AUDIENCE_INVALID: {
    status: 422,
    zh: '按商户类型或地区发布时必须填写类型或地区',
    en: 'A merchant-type or region audience needs its value',
  },
  ANNOUNCEMENT_READER_INVALID: {
    status: 403,
    zh: '公告只对商户员工和终端显示',
    en: 'Announcements are shown to merchant staff and terminals',
  },
});
