import { MINUTE } from '../../lib/clock.js';

/**
 * How many attempts at one secret may be verified before it locks, and for how long (docs/security.md
 * "Attempt limits"). Every attempt is claimed before the secret is checked; a claim is refused at the limit.
 */
export interface AttemptRule {
  /** The first part of the scope key, e.g. `refund_key`. */
  name: string;
  limit: number;
  /** Attempts count within this window from the first one; null: a run that only a success or a lock ends. */
  windowMs: number | null;
  /** How long the scope stays locked once the limit is reached; null: for ever (a burned one-time code). */
  lockMs: number | null;
  /** A success ends the run (consecutive rules); otherwise it only gives back its own claim (windowed rules). */
  successClears: boolean;
}

/** 5 consecutive wrong refund keys on one terminal lock its refunds for 30 minutes. */
export const REFUND_KEY_PER_TERMINAL: AttemptRule = {
  name: 'refund_key',
  limit: 5,
  windowMs: null,
  lockMs: 30 * MINUTE,
  successClears: true,
};

/** 10 wrong refund keys or codes of one merchant within 30 minutes lock all its refunds for 30 minutes. */
export const REFUND_AUTH_PER_MERCHANT: AttemptRule = {
  name: 'refund_auth',
  limit: 10,
  windowMs: 30 * MINUTE,
  lockMs: 30 * MINUTE,
  successClears: false,
};

/** 5 wrong entries per refund burn its one-time codes; a resend does not give them back. */
export const REFUND_CODE_PER_REFUND: AttemptRule = {
  name: 'refund_code',
  limit: 5,
  windowMs: null,
  lockMs: null,
  successClears: false,
};

/** 10 wrong passwords for one login id within 30 minutes lock it for 30 minutes (login and re-authentication). */
export const LOGIN_PER_ID: AttemptRule = {
  name: 'login',
  limit: 10,
  windowMs: 30 * MINUTE,
  lockMs: 30 * MINUTE,
  successClears: true,
};

/** 5 consecutive wrong passwords of one operator number on one terminal lock that operator there for 15 minutes. */
export const OPERATOR_PIN_PER_OPERATOR: AttemptRule = {
  name: 'operator_pin',
  limit: 5,
  windowMs: null,
  lockMs: 15 * MINUTE,
  successClears: true,
};

/** 10 wrong operator passwords on one terminal within 15 minutes, whatever the number, lock its sign-in for 15 minutes. */
export const OPERATOR_PIN_PER_TERMINAL: AttemptRule = {
  name: 'operator_pin_terminal',
  limit: 10,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  successClears: false,
};

/** 5 wrong old refund keys when changing the key lock that user's key changes for 30 minutes. */
export const KEY_CHANGE_PER_USER: AttemptRule = {
  name: 'key_change',
  limit: 5,
  windowMs: 30 * MINUTE,
  lockMs: 30 * MINUTE,
  successClears: true,
};

/**
 * 5 wrong second-factor codes (TOTP, SMS or backup code, at sign-in or when enrolling) of one user within 15 minutes
 * lock that user's second-factor checks for 15 minutes.
 */
export const SECOND_FACTOR_PER_USER: AttemptRule = {
  name: 'second_factor',
  limit: 5,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
  successClears: true,
};

/**
 * 5 wrong password-reset codes or tokens for one login id (HMACed, known or not) within 30 minutes lock resets of that
 * login id for 30 minutes.
 */
export const PASSWORD_RESET_PER_LOGIN: AttemptRule = {
  name: 'password_reset',
  limit: 5,
  windowMs: 30 * MINUTE,
  lockMs: 30 * MINUTE,
  successClears: true,
};

/** The value of `locked_until` for a scope that never unlocks by itself (about the year 2255). */
export const FOREVER = 9_000_000_000_000;
