// The shape of a message template, shared by the template tables (template-texts.ts, provisioning-texts.ts).

/**
 * Parameter reader handed to each template: each accessor takes one or more names and uses the first one present
 * (callers name things differently: `store` or `store_name`); a missing value renders as a dash. Internal ids
 * (opr_…, trm_…) count as missing: messages show what a person knows (docs/STYLE "Messages").
 */
export interface Params {
  text(...names: string[]): string;
  /** Fen as ¥12.34; an already formatted "¥12.34" is kept. */
  yuan(...names: string[]): string;
  /** An ISO time or epoch ms, in Beijing time with its date: 12月02日 04:57. */
  time(...names: string[]): string;
  /** The same, hour and minute only (a code that lives minutes): 04:57. */
  clock(...names: string[]): string;
  /** The short reference of an id (a sale): its last 6 characters. */
  ref(...names: string[]): string;
  has(...names: string[]): boolean;
}

/** One message in one language: e-mail subject, lines of the body (text and HTML), and the SMS text. */
export interface TemplateText {
  subject: string;
  lines: string[];
  /** The SMS, or variants from the richest to the leanest: the first that fits one SMS part is sent. */
  sms: string | string[];
}

export type TemplateFn = (p: Params) => TemplateText;
