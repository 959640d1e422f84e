/**
 * The terminal app's texts: Chinese first (messages.zh-CN.ts), English second (messages.en.ts); both must hold every
 * key (the types check it, and a browser test checks the pages).
 */
export { en } from './messages.en.js';
export { zhCN } from './messages.zh-CN.js';
