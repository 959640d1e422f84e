/** The Tickets page's texts: Chinese first, English second. */
export const zhCN = {
  title: '售后工单',
};

export const en: typeof zhCN = {
  title: 'Tickets',
};
