/** The Support desk page's texts: Chinese first, English second. */
export const zhCN = {
  title: '客服工作台',
};

export const en: typeof zhCN = {
  title: 'Support desk',
};
