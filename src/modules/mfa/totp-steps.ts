// A code checked against a person's TOTP factor: the sealed seed opened, the code matched within ±1 step, and each
// time step accepted once (RFC 6238 §5.2), also under parallel submissions.

import * as repo from './mfa.repository.js';
import type { MfaContext } from './mfa-context.js';
import { matchingStep, TOTP_PERIOD_MS } from './totp.js';

/** A TOTP code within ±1 step whose step was not used before: recorded as used in the same statement. */
export async function useTotp(ctx: MfaContext, factorId: string, sealed: string, code: string): Promise<boolean> {
  const now = ctx.clock.now();
  const step = matchingStep(ctx.sealer.open(sealed), code.trim(), now);
  if (step === null) return false;
  if (!(await repo.useTotpStep(ctx.db, factorId, step, now))) return false;
  await repo.forgetOldSteps(ctx.db, factorId, Math.floor(now / TOTP_PERIOD_MS) - 2);
  return true;
}
