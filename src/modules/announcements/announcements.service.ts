import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { cryptoRandom, newId, type RandomSource } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffService } from '../staff/index.js';
import { AnnouncementErrors } from './announcements.errors.js';
import type { AnnouncementRow, AnnouncementSeverity, AudienceKind } from './announcements.table.js';

export interface NewAnnouncement {
  title: string;
  body: string;
  severity: AnnouncementSeverity;
  audience: { kind: AudienceKind; value: string | null };
  startsAt: number;
  endsAt: number;
}

/** Who reads: a person of a merchant (console), or a terminal with, perhaps, the staff member behind its operator. */
export interface Reader {
  /** null: a platform person (admin, support agent), who reads every audience. */
  merchantId: string | null;
  userId: string | null;
  via: 'console' | 'terminal';
}

export interface AnnouncementView {
  row: AnnouncementRow;
  acknowledgedAt: number | null;
}

/**
 * Announcements (公告, issue 15 item 4): platform admins publish to all merchants, a merchant type or a region, between
 * a start and an end; staff read them in the console and terminals through the terminal API; each person acknowledges
 * once (kept per merchant and person); an urgent one also goes to every owner of the audience by SMS and e-mail.
 */
export class AnnouncementsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly deps: { staff: StaffService; audit: AuditService; outbox: OutboxService },
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /** The service's clock (whether an announcement is active is read against it). */
  now(): number {
    return this.clock.now();
  }

  /** Publish; an urgent announcement is queued to the audience's owners in the same transaction. */
  async publish(admin: StaffSession, input: NewAnnouncement): Promise<AnnouncementRow> {
    const now = this.clock.now();
    if (input.endsAt <= input.startsAt || input.endsAt <= now) {
      throw AppError.from(AnnouncementErrors, 'ANNOUNCEMENT_WINDOW_INVALID', { param: 'ends_at' });
    }
    if ((input.audience.kind === 'all') !== (input.audience.value === null)) {
      throw AppError.from(AnnouncementErrors, 'ANNOUNCEMENT_AUDIENCE_INVALID', { param: 'audience' });
    }
    const row: AnnouncementRow = {
      id: newId('ann', this.random),
      title: input.title,
      body: input.body,
      severity: input.severity,
      audience_kind: input.audience.kind,
      audience_value: input.audience.value,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      created_by: admin.userId,
      created_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('announcements').values(row).execute();
      const sent = row.severity === 'urgent' ? await this.sendUrgent(trx, row) : 0;
      await this.deps.audit.record(trx, {
        actor: { type: 'user', id: admin.userId },
        event: 'announcement.published',
        outcome: 'success',
        origin: admin.ip,
        object: { type: 'announcement', id: row.id },
        detail: { severity: row.severity, audience: row.audience_kind, messages: sent },
      });
    });
    return row;
  }

  /** A merchant's type and region, which announcements may address. */
  async setAudience(
    admin: StaffSession,
    merchantId: string,
    audience: { merchantType: string | null; region: string | null },
  ) {
    const merchant = await this.db.selectFrom('merchants').select('id').where('id', '=', merchantId).executeTakeFirst();
    if (!merchant) throw AppError.from(CommonErrors, 'NOT_FOUND');
    const now = this.clock.now();
    const values = { merchant_type: audience.merchantType, region: audience.region, updated_at: now };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('merchant_audiences')
        .values({ merchant_id: merchantId, ...values })
        .onConflict((oc) => oc.column('merchant_id').doUpdateSet(values))
        .execute();
      await this.deps.audit.record(trx, {
        merchantId,
        actor: { type: 'user', id: admin.userId },
        event: 'merchant.audience_set',
        outcome: 'success',
        origin: admin.ip,
        object: { type: 'merchant', id: merchantId },
        detail: { merchant_type: audience.merchantType, region: audience.region },
      });
    });
  }

  /** What this reader's merchant is shown now (or, with history, everything that has started), newest first. */
  async listFor(reader: Reader, { history = false }: { history?: boolean } = {}): Promise<AnnouncementView[]> {
    const now = this.clock.now();
    const merchantId = reader.merchantId;
    let query = this.db.selectFrom('announcements').selectAll().where('starts_at', '<=', now);
    const audience = merchantId === null ? null : await this.audienceOf(merchantId);
    if (audience) {
      query = query.where((eb) =>
        eb.or([
          eb('audience_kind', '=', 'all'),
          eb.and([eb('audience_kind', '=', 'merchant_type'), eb('audience_value', '=', audience.merchant_type ?? '')]),
          eb.and([eb('audience_kind', '=', 'region'), eb('audience_value', '=', audience.region ?? '')]),
        ]),
      );
    }
    if (!history) query = query.where('ends_at', '>', now);
    const rows = await query.orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(100).execute();
    const acks = reader.userId
      ? await this.db
          .selectFrom('announcement_acks')
          .select(['announcement_id', 'acknowledged_at'])
          .where('user_id', '=', reader.userId)
          .execute()
      : [];
    const ackOf = new Map(acks.map((a) => [a.announcement_id, a.acknowledged_at]));
    return rows.map((row) => ({ row, acknowledgedAt: ackOf.get(row.id) ?? null }));
  }

  /** Acknowledge once per person (a repeat keeps the first time); only an announcement the merchant is shown. */
  async acknowledge(
    reader: Reader & { merchantId: string; userId: string },
    id: string,
    ip: string,
  ): Promise<AnnouncementView> {
    const shown = (await this.listFor(reader, { history: true })).find((v) => v.row.id === id);
    if (!shown) throw AppError.from(AnnouncementErrors, 'ANNOUNCEMENT_NOT_FOUND');
    if (shown.acknowledgedAt !== null) return shown;
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto('announcement_acks')
        .values({
          announcement_id: id,
          merchant_id: reader.merchantId,
          user_id: reader.userId,
          via: reader.via,
          acknowledged_at: now,
        })
        .onConflict((oc) => oc.columns(['announcement_id', 'user_id']).doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) !== 1) return;
      await this.deps.audit.record(trx, {
        merchantId: reader.merchantId,
        actor: { type: 'user', id: reader.userId },
        event: 'announcement.acknowledged',
        outcome: 'success',
        origin: ip,
        object: { type: 'announcement', id },
        detail: { via: reader.via },
      });
    });
    return (await this.listFor(reader, { history: true })).find((v) => v.row.id === id) ?? shown;
  }

  /** Every announcement for the admins, newest first, with how many people and merchants acknowledged it. */
  async adminList(): Promise<Array<AnnouncementRow & { people: number; merchants: number }>> {
    const rows = await this.db
      .selectFrom('announcements')
      .selectAll()
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    const counts = await this.db
      .selectFrom('announcement_acks')
      .select((eb) => [
        'announcement_id',
        eb.fn.countAll<number | string>().as('people'),
        eb.fn.count<number | string>('merchant_id').distinct().as('merchants'),
      ])
      .groupBy('announcement_id')
      .execute();
    const byId = new Map(counts.map((c) => [c.announcement_id, c]));
    return rows.map((row) => ({
      ...row,
      people: Number(byId.get(row.id)?.people ?? 0),
      merchants: Number(byId.get(row.id)?.merchants ?? 0),
    }));
  }

  private async audienceOf(merchantId: string) {
    const row = await this.db
      .selectFrom('merchant_audiences')
      .select(['merchant_type', 'region'])
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    return row ?? { merchant_type: null, region: null };
  }

  /** Every active owner of the audience, on each channel they have; returns how many messages were queued. */
  private async sendUrgent(trx: Executor, row: AnnouncementRow): Promise<number> {
    let query = trx
      .selectFrom('users')
      .leftJoin('merchant_audiences', 'merchant_audiences.merchant_id', 'users.merchant_id')
      .select(['users.merchant_id', 'users.phone', 'users.email', 'users.locale'])
      .where('users.role', '=', 'owner')
      .where('users.status', '=', 'active');
    if (row.audience_kind === 'merchant_type')
      query = query.where('merchant_audiences.merchant_type', '=', row.audience_value);
    if (row.audience_kind === 'region') query = query.where('merchant_audiences.region', '=', row.audience_value);
    let sent = 0;
    for (const owner of await query.execute()) {
      for (const [channel, recipient] of [
        ['sms', owner.phone],
        ['email', owner.email],
      ] as const) {
        if (!recipient) continue;
        await this.deps.outbox.enqueue(trx, {
          merchantId: owner.merchant_id,
          channel,
          recipient,
          template: 'announcement_urgent',
          locale: owner.locale,
          params: { title: row.title, body: row.body, ends_at: toIso(row.ends_at) },
        });
        sent++;
      }
    }
    return sent;
  }
}
