/** The console's texts: Chinese first, English second; both must hold every key (a browser test checks). */
export const zhCN = {
  translation: {
    signIn: { title: '登录商户后台', login: '登录名', password: '密码', submit: '登录' },
  },
};
export const en: typeof zhCN = {
  translation: {
    signIn: { title: 'Sign in to the back office', login: 'Login', password: 'Password', submit: 'Sign in' },
  },
};
