import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import type { Texts } from './i18n.js';

/** One reason a secret is refused or could be better, with a code for programs and text for people. */
export interface StrengthReason {
  code: string;
  /** In both languages; an answer shows the one of its request (`localized` in lib/i18n.ts). */
  message: Texts;
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

const WARNINGS: Record<string, Texts> = {
  straightRow: { zh: '键盘上连续一行的按键很容易猜到', en: 'Straight rows of keys are easy to guess' },
  keyPattern: { zh: '短的键盘图案很容易猜到', en: 'Short keyboard patterns are easy to guess' },
  simpleRepeat: { zh: '重复的字符（如 aaa）很容易猜到', en: 'Repeated characters like "aaa" are easy to guess' },
  extendedRepeat: {
    zh: '重复的字符组合（如 abcabc）很容易猜到',
    en: 'Repeated patterns like "abcabc" are easy to guess',
  },
  sequences: { zh: '常见的字符序列（如 abc）很容易猜到', en: 'Common sequences like "abc" are easy to guess' },
  recentYears: { zh: '最近的年份很容易猜到', en: 'Recent years are easy to guess' },
  dates: { zh: '日期很容易猜到', en: 'Dates are easy to guess' },
  topTen: { zh: '这是最常用的密码之一', en: 'This is a heavily used password' },
  topHundred: { zh: '这是非常常用的密码', en: 'This is a frequently used password' },
  common: { zh: '这是常用密码', en: 'This is a commonly used password' },
  similarToCommon: { zh: '与常用密码过于相似', en: 'This is similar to a commonly used password' },
  wordByItself: { zh: '单个单词很容易猜到', en: 'Single words are easy to guess' },
  namesByThemselves: { zh: '单独的姓名很容易猜到', en: 'Single names or surnames are easy to guess' },
  commonNames: { zh: '常见姓名很容易猜到', en: 'Common names and surnames are easy to guess' },
  userInputs: { zh: '不要包含个人信息或本网站相关的内容', en: 'There should not be any personal or page related data' },
  pwned: { zh: '该密码已在数据泄露中出现', en: 'Your password was exposed by a data breach' },
};

const SUGGESTIONS: Record<string, Texts> = {
  l33t: { zh: '避免可预测的字母替换（如用 @ 代替 a）', en: 'Avoid predictable letter substitutions like "@" for "a"' },
  reverseWords: { zh: '避免常见单词的倒写', en: 'Avoid reversed spellings of common words' },
  allUppercase: { zh: '部分大写，而不是全部大写', en: 'Capitalize some, but not all letters' },
  capitalization: { zh: '不只是首字母大写', en: 'Capitalize more than the first letter' },
  dates: { zh: '避免与你相关的日期和年份', en: 'Avoid dates and years that are associated with you' },
  recentYears: { zh: '避免最近的年份', en: 'Avoid recent years' },
  associatedYears: { zh: '避免与你相关的年份', en: 'Avoid years that are associated with you' },
  sequences: { zh: '避免常见的字符序列', en: 'Avoid common character sequences' },
  repeated: { zh: '避免重复的单词和字符', en: 'Avoid repeated words and characters' },
  longerKeyboardPattern: {
    zh: '使用更长的键盘图案并多次改变方向',
    en: 'Use longer keyboard patterns and change typing direction',
  },
  anotherWord: { zh: '再加入一些不常见的词', en: 'Add more words that are less common' },
  useWords: { zh: '使用多个单词，但避免常见短语', en: 'Use multiple words, but avoid common phrases' },
  noNeed: {
    zh: '无需符号、数字或大写字母也能设置强密码',
    en: 'You can create strong passwords without symbols, numbers, or uppercase letters',
  },
  pwned: { zh: '如果你在别处使用过该密码，请更换', en: 'If you use this password elsewhere, you should change it' },
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
  if (length < min)
    reasons.push({ code: 'TOO_SHORT', message: { zh: `至少 ${min} 个字符`, en: `At least ${min} characters` } });
  if (length > max)
    reasons.push({ code: 'TOO_LONG', message: { zh: `最多 ${max} 个字符`, en: `At most ${max} characters` } });
  // zxcvbn cost grows with length; beyond 128 characters the length rule already refuses.
  const result = checker().check(secret.slice(0, 128), userInputs.filter(Boolean));
  const suggestions = result.feedback.suggestions.map((key) => ({
    code: snake(key),
    message: SUGGESTIONS[key] ?? { zh: key, en: key },
  }));
  if (result.score < MIN_SCORE) {
    const warning = result.feedback.warning;
    reasons.push(
      warning
        ? { code: snake(warning), message: WARNINGS[warning] ?? { zh: warning, en: warning } }
        : { code: 'TOO_GUESSABLE', message: { zh: '太容易被猜到', en: 'Too easy to guess' } },
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
  if (!/^\d+$/.test(pin)) reasons.push({ code: 'PIN_NOT_DIGITS', message: { zh: '只能包含数字', en: 'Digits only' } });
  else if (pin.length < 6 || pin.length > 12)
    reasons.push({ code: 'PIN_LENGTH', message: { zh: '需要 6 到 12 位数字', en: '6 to 12 digits' } });
  else if (isRun(pin))
    reasons.push({
      code: 'PIN_SEQUENCE',
      message: { zh: '不能是连续数字（如 123456）', en: 'No runs such as 123456' },
    });
  else if (isRepeat(pin))
    reasons.push({
      code: 'PIN_REPEAT',
      message: { zh: '不能是重复数字（如 111111、121212）', en: 'No repeats such as 111111' },
    });
  else if (WEAK_PINS.has(pin) || looksLikeDate(pin))
    reasons.push({
      code: 'PIN_COMMON',
      message: { zh: '这是常见或易猜的数字组合', en: 'This PIN is common or easy to guess' },
    });
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
