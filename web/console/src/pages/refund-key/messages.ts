export const zhCN = { title: '退款密钥' };
export const en: typeof zhCN = { title: 'Refund key' };
