// What the session parts (the login lockout, pending logins, opening and ending sessions) stand on: AuthService builds
// it once and hands it to each of them as their first argument.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Hmac } from '../../lib/hashing.js';
import type { RandomSource } from '../../lib/random.js';
import type { AttemptLimiter } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import type { StaffService } from '../staff/index.js';

/** The database, clock, keys and randomness of back-office sessions, and the services they use. */
export interface AuthContext {
  db: Kysely<DB>;
  clock: Clock;
  hmac: Hmac;
  staff: StaffService;
  audit: AuditService;
  attempts: AttemptLimiter;
  random: RandomSource;
}
