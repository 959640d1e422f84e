export const zhCN = { title: '审批' };
export const en: typeof zhCN = { title: 'Approvals' };
