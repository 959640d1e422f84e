export const zhCN = { title: '安全' };
export const en: typeof zhCN = { title: 'Security' };
