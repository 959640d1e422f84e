import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** One reason a secret is refused or could be better, with a code for programs and text for people. */
export interface StrengthReason {
  code: string;
  message: string;
}

export interface StrengthReport {
  /** zxcvbn score 0..4 (PINs: 0 when a rule fails, else 3). */
  score: number;
  acceptable: boolean;
  /** Why it is refused (empty when acceptable). */
  reasons: StrengthReason[];
  /** Hints that make it stronger, even when acceptable. */
  suggestions: StrengthReason[];
}

// Score 3 = "safely unguessable: moderate protection from offline slow-hash scenario" (zxcvbn).
const MIN_SCORE = 3;

let zxcvbn: ZxcvbnFactory | undefined;
function checker(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  return zxcvbn;
}

const WARNINGS: Record<string, string> = {
  straightRow: '键盘上连续一行的按键很容易猜到 / Straight rows of keys are easy to guess',
  keyPattern: '短的键盘图案很容易猜到 / Short keyboard patterns are easy to guess',
  simpleRepeat: '重复的字符（如 aaa）很容易猜到 / Repeated characters like "aaa" are easy to guess',
  extendedRepeat: '重复的字符组合（如 abcabc）很容易猜到 / Repeated patterns like "abcabc" are easy to guess',
  sequences: '常见的字符序列（如 abc）很容易猜到 / Common sequences like "abc" are easy to guess',
  recentYears: '最近的年份很容易猜到 / Recent years are easy to guess',
  dates: '日期很容易猜到 / Dates are easy to guess',
  topTen: '这是最常用的密码之一 / This is a heavily used password',
  topHundred: '这是非常常用的密码 / This is a frequently used password',
  common: '这是常用密码 / This is a commonly used password',
  similarToCommon: '与常用密码过于相似 / This is similar to a commonly used password',
  wordByItself: '单个单词很容易猜到 / Single words are easy to guess',
  namesByThemselves: '单独的姓名很容易猜到 / Single names or surnames are easy to guess',
  commonNames: '常见姓名很容易猜到 / Common names and surnames are easy to guess',
  userInputs: '不要包含个人信息或本网站相关的内容 / There should not be any personal or page related data',
  pwned: '该密码已在数据泄露中出现 / Your password was exposed by a data breach',
};

const SUGGESTIONS: Record<string, string> = {
  l33t: '避免可预测的字母替换（如用 @ 代替 a）/ Avoid predictable letter substitutions like "@" for "a"',
  reverseWords: '避免常见单词的倒写 / Avoid reversed spellings of common words',
  allUppercase: '部分大写，而不是全部大写 / Capitalize some, but not all letters',
  capitalization: '不只是首字母大写 / Capitalize more than the first letter',
  dates: '避免与你相关的日期和年份 / Avoid dates and years that are associated with you',
  recentYears: '避免最近的年份 / Avoid recent years',
  associatedYears: '避免与你相关的年份 / Avoid years that are associated with you',
  sequences: '避免常见的字符序列 / Avoid common character sequences',
  repeated: '避免重复的单词和字符 / Avoid repeated words and characters',
  longerKeyboardPattern: '使用更长的键盘图案并多次改变方向 / Use longer keyboard patterns and change typing direction',
  anotherWord: '再加入一些不常见的词 / Add more words that are less common',
  useWords: '使用多个单词，但避免常见短语 / Use multiple words, but avoid common phrases',
  noNeed:
    '无需符号、数字或大写字母也能设置强密码 / You can create strong passwords without symbols, numbers, or uppercase letters',
  pwned: '如果你在别处使用过该密码，请更换 / If you use this password elsewhere, you should change it',
};

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * A password-like secret checked against length bounds and zxcvbn-ts with the common dictionary
 * (docs/security.md "Passwords and refund keys"). `userInputs` (login, names) count as easy to guess.
 */
export function checkPasswordStrength(
  secret: string,
  { min, max, userInputs = [] }: { min: number; max: number; userInputs?: string[] },
): StrengthReport {
  const reasons: StrengthReason[] = [];
  const length = [...secret].length;
  if (length < min) reasons.push({ code: 'TOO_SHORT', message: `至少 ${min} 个字符 / At least ${min} characters` });
  if (length > max) reasons.push({ code: 'TOO_LONG', message: `最多 ${max} 个字符 / At most ${max} characters` });
  // zxcvbn cost grows with length; beyond 128 characters the length rule already refuses.
  const result = checker().check(secret.slice(0, 128), userInputs.filter(Boolean));
  const suggestions = result.feedback.suggestions.map((key) => ({
    code: snake(key),
    message: SUGGESTIONS[key] ?? key,
  }));
  if (result.score < MIN_SCORE) {
    const warning = result.feedback.warning;
    reasons.push(
      warning
        ? { code: snake(warning), message: WARNINGS[warning] ?? warning }
        : { code: 'TOO_GUESSABLE', message: '太容易被猜到 / Too easy to guess' },
    );
  }
  return { score: result.score, acceptable: reasons.length === 0, reasons, suggestions };
}

// Frequent PINs that pass the run and repeat rules (birthdays are also refused as dates below).
const WEAK_PINS = new Set([
  '112233',
  '121212',
  '123123',
  '123321',
  '131313',
  '147258',
  '147852',
  '159357',
  '159753',
  '258369',
  '321321',
  '520520',
  '521521',
  '520131',
  '521314',
  '5201314',
  '1314520',
  '666888',
  '888666',
  '168168',
  '518518',
  '258258',
  '369369',
  '147147',
  '963852',
  '741852',
  '852963',
  '102030',
  '100200',
  '110110',
  '119119',
  '000111',
  '111000',
  '123654',
  '654123',
  '135790',
  '246810',
  '147258369',
  '123456789',
  '987654321',
  '1234567890',
]);

/** A numeric refund key for keypads (policy `pin`): 6..12 digits, no runs, no repeats, not a weak or date-like PIN. */
export function checkPinStrength(pin: string): StrengthReport {
  const reasons: StrengthReason[] = [];
  if (!/^\d+$/.test(pin)) reasons.push({ code: 'PIN_NOT_DIGITS', message: '只能包含数字 / Digits only' });
  else if (pin.length < 6 || pin.length > 12)
    reasons.push({ code: 'PIN_LENGTH', message: '需要 6 到 12 位数字 / 6 to 12 digits' });
  else if (isRun(pin))
    reasons.push({ code: 'PIN_SEQUENCE', message: '不能是连续数字（如 123456）/ No runs such as 123456' });
  else if (isRepeat(pin))
    reasons.push({ code: 'PIN_REPEAT', message: '不能是重复数字（如 111111、121212）/ No repeats such as 111111' });
  else if (WEAK_PINS.has(pin) || looksLikeDate(pin))
    reasons.push({ code: 'PIN_COMMON', message: '这是常见或易猜的数字组合 / This PIN is common or easy to guess' });
  return { score: reasons.length ? 0 : 3, acceptable: reasons.length === 0, reasons, suggestions: [] };
}

/** Every step +1 or every step -1 (mod 10, so 890123 counts too). */
function isRun(pin: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < pin.length; i++) steps.add((Number(pin[i]) - Number(pin[i - 1]) + 10) % 10);
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

/** The same block of 1..3 digits over and over (111111, 121212, 123123). */
function isRepeat(pin: string): boolean {
  for (let block = 1; block <= 3; block++) {
    if (pin.length < block * 2) continue;
    const head = pin.slice(0, block);
    if (head.repeat(Math.ceil(pin.length / block)).slice(0, pin.length) === pin) return true;
  }
  return false;
}

/** YYYYMMDD, YYMMDD or MMDDYY birthdays, the most guessed 6- and 8-digit PINs. */
function looksLikeDate(pin: string): boolean {
  const valid = (month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= 31;
  if (pin.length === 8) {
    const year = Number(pin.slice(0, 4));
    return year >= 1900 && year <= 2099 && valid(Number(pin.slice(4, 6)), Number(pin.slice(6, 8)));
  }
  if (pin.length === 6) {
    return valid(Number(pin.slice(2, 4)), Number(pin.slice(4, 6))) && Number(pin.slice(0, 2)) >= 40;
  }
  return false;
}

// docs/security.md "Passwords and refund keys": 12..128 characters plus the common-password check (PCI DSS 8.3.6, ASVS 5.0 6.2).
export const LOGIN_PASSWORD_LENGTH = { min: 12, max: 128 } as const;

/** Check a new back-office login password; use wherever a login password is created or changed. */
export function checkLoginPassword(password: string, userInputs: string[] = []): StrengthReport {
  return checkPasswordStrength(password, { ...LOGIN_PASSWORD_LENGTH, userInputs });
}
