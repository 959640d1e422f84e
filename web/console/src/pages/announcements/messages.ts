/** The Announcements page's texts: Chinese first, English second. */
export const zhCN = {
  title: '公告管理',
};

export const en: typeof zhCN = {
  title: 'Announcements',
};
