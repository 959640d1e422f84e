/** Customer-presented payment codes (付款码) per wallet. */
export type Wallet = 'wechat' | 'alipay' | 'unionpay';

const PATTERNS: Record<Wallet, RegExp> = {
  wechat: /^1[0-5]\d{16}$/, // 18 digits starting 10-15
  alipay: /^(2[5-9]|30)\d{14,22}$/, // 16-24 digits starting 25-30
  unionpay: /^62\d{17}$/, // 19 digits starting 62
};

export function authCodeValid(wallet: Wallet, authCode: string): boolean {
  return PATTERNS[wallet].test(authCode);
}

export function maskAuthCode(authCode: string): string {
  return `${authCode.slice(0, 4)}${'*'.repeat(authCode.length - 8)}${authCode.slice(-4)}`;
}
