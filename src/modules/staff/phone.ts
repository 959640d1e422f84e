// A person's phone number as other people and messages may see it; staff owns the number, so the mask lives here
// for every module that shows one (mfa, refund-keys, support).

/** A phone number as a message may show it: the first 3 and last 4 digits. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
