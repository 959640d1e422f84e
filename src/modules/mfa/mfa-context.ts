// What the second-factor parts (enrolment, SMS and backup codes, password resets, phone changes) stand on: MfaService
// builds it once and hands it to each of them as their first argument.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import type { RandomSource } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import type { AttemptLimiter } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import { MfaErrors } from './mfa.errors.js';
import type { SecondFactorAttempts } from './second-factor-attempts.js';

/** The services the second factors stand on. */
export interface MfaDeps {
  staff: StaffService;
  attempts: AttemptLimiter;
  audit: AuditService;
  outbox: OutboxService;
}

/** The database, clock, keys and randomness of the second factors, and the guard every code check goes through. */
export interface MfaContext {
  db: Kysely<DB>;
  clock: Clock;
  hmac: Hmac;
  sealer: Sealer;
  random: RandomSource;
  deps: MfaDeps;
  guard: SecondFactorAttempts;
}

/** The person behind a user id; 401 SECOND_FACTOR_FAILED when there is none. */
export async function userOf(ctx: MfaContext, userId: string): Promise<StaffUser> {
  const user = await ctx.deps.staff.getUser(userId);
  if (!user) throw AppError.from(MfaErrors, 'SECOND_FACTOR_FAILED');
  return user;
}
