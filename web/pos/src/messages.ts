/** The terminal app's texts: Chinese first, English second; both must hold every key (a browser test checks). */
export const zhCN = {
  translation: {
    activation: { title: '激活终端', code: '激活码', submit: '激活' },
  },
};
export const en: typeof zhCN = {
  translation: {
    activation: { title: 'Activate this terminal', code: 'Activation code', submit: 'Activate' },
  },
};
