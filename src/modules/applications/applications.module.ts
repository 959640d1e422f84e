import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Hmac } from '../../lib/hashing.js';
import type { RandomSource } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import type { AttemptLimiter } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import type { InvitationsService } from '../invitations/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffService } from '../staff/index.js';
import type { TerminalsService } from '../terminals/index.js';
import { ApplicationsService } from './applications.service.js';
import { BOT_CHECK } from './bot-check.js';
import { PhoneVerification } from './phone-verification.js';
import { ReviewService } from './review.service.js';

/** The services of merchant applications (在线申请, issue 15 item 5), wired from what they stand on. */
export function createApplicationServices(
  base: { db: Kysely<DB>; clock: Clock; hmac: Hmac; sealer: Sealer; random: RandomSource; botCheckBits?: number },
  deps: {
    attempts: AttemptLimiter;
    audit: AuditService;
    outbox: OutboxService;
    merchants: MerchantsService;
    staff: StaffService;
    invitations: InvitationsService;
    terminals: TerminalsService;
  },
) {
  const { db, clock, hmac, sealer, random, botCheckBits } = base;
  const botCheck = botCheckBits === undefined ? BOT_CHECK : { ...BOT_CHECK, bits: botCheckBits };
  return {
    applications: new ApplicationsService(db, clock, hmac, sealer, deps, random, botCheck),
    phoneVerification: new PhoneVerification(db, clock, hmac, deps, random),
    review: new ReviewService(db, clock, deps),
  };
}
