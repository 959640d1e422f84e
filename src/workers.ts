import type { AppServices } from './app-services.js';

/** Background loops: expire refunds, reconcile pending sales and refunds, purge old idempotency keys. */
export class Workers {
  private timers: NodeJS.Timeout[] = [];
  private running = new Map<string, Promise<unknown>>();

  constructor(private readonly services: AppServices) {}

  start({ intervalMs = 5_000 }: { intervalMs?: number } = {}): void {
    this.every('expire-refunds', intervalMs, () => this.services.refundLedger.expireDue());
    this.every('reconcile-sales', intervalMs, () => this.services.sales.reconcilePending());
    this.every('retry-refunds', intervalMs, () => this.services.refundLedger.retryProcessing());
    this.every('purge-idempotency', 60 * 60_000, () => this.services.idempotency.purgeExpired());
    this.every('remind-refund-keys', 60 * 60_000, () => this.services.refundKeys.remindExpiring());
    // A lost phone's replacement waits 72 h after its announcement; applied within a minute of its time.
    this.every('support-phone-changes', 60_000, () => this.services.supportResets.applyDuePhoneChanges());
    // Messages carry one-time codes that live 5 minutes: poll every second, not every intervalMs.
    this.every('deliver-messages', Math.min(intervalMs, 1_000), () => this.services.delivery.deliverDue());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Stop, and wait for the jobs already running to finish (messages they claimed are sent and marked, not left). */
  async drain(): Promise<void> {
    this.stop();
    await Promise.all(this.running.values());
  }

  private every(name: string, ms: number, job: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      if (this.running.has(name)) return;
      const run = job()
        .catch((error: unknown) => this.services.log.error({ err: error, worker: name }, 'worker failed'))
        .finally(() => this.running.delete(name));
      this.running.set(name, run);
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
