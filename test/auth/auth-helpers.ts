import type { StaffRole } from '../../src/modules/staff/staff.table.js';
import type { TestApp } from '../support/test-app.js';

let seq = 0;

/** A strong login password that passes the 12..128 + zxcvbn rules. */
export const STRONG_PASSWORD = 'Lantern-Quokka-Mosaic-47';

/** Create a back-office user of a merchant with a known password, returning its login. */
export async function createStaffUser(
  t: TestApp,
  merchantId: string | null,
  role: StaffRole,
  { storeIds, password = STRONG_PASSWORD }: { storeIds?: string[]; password?: string } = {},
): Promise<{ login: string; password: string; id: string }> {
  const login = `${role}-${++seq}-${process.pid}@test.refundkey.test`;
  const user = await t.services.staff.createUser({
    merchantId,
    role,
    login,
    password,
    name: `${role} ${seq}`,
    email: login,
    storeIds,
  });
  return { login, password, id: user.id };
}
