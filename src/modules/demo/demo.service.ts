import { cryptoRandom, type RandomSource } from '../../lib/random.js';
import type { MerchantsService } from '../merchants/index.js';
import type { StaffService } from '../staff/index.js';
import type { TerminalsService } from '../terminals/index.js';

/** What `refundkey demo --json` prints (docs/api.md "Bootstrapping"). */
export interface DemoMerchant {
  merchant_id: string;
  owner: DemoPerson;
  manager: DemoPerson;
  refund_key: string;
  stores: Array<{
    id: string;
    name: string;
    terminals: Array<{ id: string; activation_code: string }>;
    operators: Array<{ operator_no: string; password: string }>;
  }>;
}

/** A demo owner or manager: a second factor is required for them, so the demo enrols TOTP and prints its secret. */
export interface DemoPerson {
  login: string;
  password: string;
  /** Base32 TOTP seed (RFC 6238, SHA-1, 6 digits, 30 s) for an authenticator app or the test client. */
  totp_secret: string;
  backup_codes: string[];
}

/** Enrols a demo person's second factor (the factors module stands above this one; the composition root hands it in). */
export type EnrolDemoFactor = (userId: string) => Promise<{ totpSecret: string; backupCodes: string[] }>;

const LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Creates a fresh demo merchant: a restaurant and a mall counter, staff, terminals and operators. */
export class DemoService {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly staff: StaffService,
    private readonly terminals: TerminalsService,
    private readonly random: RandomSource = cryptoRandom,
    private readonly enrolFactor?: EnrolDemoFactor,
  ) {}

  /** Create one demo merchant with random credentials, returned once. */
  async createDemoMerchant(): Promise<DemoMerchant> {
    const tag = this.word(6).toLowerCase();
    const merchant = await this.merchants.createMerchant({ name: `演示商户 Demo ${tag}` });
    const ownerPassword = this.password();
    const managerPassword = this.password();
    const refundKey = `Rk-${this.word(14)}`;
    const owner = await this.staff.createUser({
      merchantId: merchant.id,
      role: 'owner',
      login: `owner-${tag}@demo.refundkey.test`,
      password: ownerPassword,
      name: '张店主',
      phone: '13800138000',
      email: `owner-${tag}@demo.refundkey.test`,
    });
    const manager = await this.staff.createUser({
      merchantId: merchant.id,
      role: 'manager',
      login: `manager-${tag}@demo.refundkey.test`,
      password: managerPassword,
      name: '李主管',
      phone: '13900139000',
      email: `manager-${tag}@demo.refundkey.test`,
    });
    await this.merchants.setRefundKey(merchant.id, refundKey);
    const ownerFactor = await this.factorOf(owner.id);
    const managerFactor = await this.factorOf(manager.id);

    const stores: DemoMerchant['stores'] = [];
    for (const name of ['小饭馆 Small restaurant', '商场专柜 Mall counter']) {
      const store = await this.merchants.createStore(merchant.id, { name });
      const terminals = [];
      for (const n of [1, 2]) {
        const t = await this.terminals.createTerminal({ merchantId: merchant.id, storeId: store.id, name: `POS-${n}` });
        terminals.push({ id: t.terminalId, activation_code: t.activationCode });
      }
      // Every operator number belongs to a staff member: 01 to a cashier of the store (invited, so without a password
      // anyone knows), 02 to the manager, who also works a till and so may never approve that number's refunds.
      const cashier = await this.staff.createUser({
        merchantId: merchant.id,
        role: 'cashier',
        login: `cashier-${tag}-${stores.length + 1}@demo.refundkey.test`,
        name: `收银员 ${stores.length + 1}`,
        storeIds: [store.id],
      });
      const operators = [];
      for (const [operatorNo, staffId] of [
        ['01', cashier.id],
        ['02', manager.id],
      ] as const) {
        const password = this.digits(6);
        await this.staff.createOperator({
          merchantId: merchant.id,
          storeId: store.id,
          operatorNo,
          name: `收银员 ${operatorNo}`,
          password,
          staffId,
        });
        operators.push({ operator_no: operatorNo, password });
      }
      stores.push({ id: store.id, name, terminals, operators });
    }
    return {
      merchant_id: merchant.id,
      owner: { login: `owner-${tag}@demo.refundkey.test`, password: ownerPassword, ...ownerFactor },
      manager: { login: `manager-${tag}@demo.refundkey.test`, password: managerPassword, ...managerFactor },
      refund_key: refundKey,
      stores,
    };
  }

  private async factorOf(userId: string): Promise<Pick<DemoPerson, 'totp_secret' | 'backup_codes'>> {
    if (!this.enrolFactor) return { totp_secret: '', backup_codes: [] };
    const { totpSecret, backupCodes } = await this.enrolFactor(userId);
    return { totp_secret: totpSecret, backup_codes: backupCodes };
  }

  private word(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += LETTERS[this.random.int(LETTERS.length)];
    return out;
  }

  private digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(this.random.int(10));
    return out;
  }

  private password(): string {
    return `${this.word(6)}-${this.word(6)}-${this.word(4)}`;
  }
}
