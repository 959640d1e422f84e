// A store's terminals (终端): the owner or a manager of the store creates them with a single-use activation code,
// issues a new code, retires them, and lists them (never a key or a code in a list).
import { toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { assertStoreInScope, type StaffSession } from '../auth/index.js';
import { type ProvisioningContext, setupEvent, storeInScope } from './provisioning-context.js';

export interface TerminalView {
  id: string;
  object: 'terminal';
  store_id: string;
  name: string;
  status: string;
  activation_code?: string;
  activation_expires_at?: string;
}

/** A terminal in the back office's list: when it was made and activated, and until when a waiting code works. */
export type TerminalListItem = Omit<TerminalView, 'activation_code' | 'activation_expires_at'> & {
  created_at: string;
  activated_at: string | null;
  activation_expires_at: string | null;
};

/** The terminals of a store in the session's scope (never a key or an activation code). */
export async function listTerminals(
  ctx: ProvisioningContext,
  session: StaffSession,
  storeId: string,
): Promise<TerminalListItem[]> {
  const store = await storeInScope(ctx.merchants, session, storeId);
  return (await ctx.terminals.terminalsOfStore(store.id)).map((t) => ({
    ...terminalView(t),
    created_at: toIso(t.createdAt),
    activated_at: t.activatedAt === null ? null : toIso(t.activatedAt),
    activation_expires_at: t.activationExpiresAt === null ? null : toIso(t.activationExpiresAt),
  }));
}

/** A terminal for a store in the session's scope, with its single-use activation code (shown once). */
export async function createTerminal(
  ctx: ProvisioningContext,
  session: StaffSession,
  storeId: string,
  input: { name?: string | undefined },
): Promise<TerminalView> {
  const store = await storeInScope(ctx.merchants, session, storeId);
  const name = input.name ?? 'POS';
  return ctx.db.transaction().execute(async (trx): Promise<TerminalView> => {
    const made = await ctx.terminals.createTerminal({ merchantId: store.merchantId, storeId: store.id, name }, trx);
    await ctx.audit.record(
      trx,
      setupEvent(
        session,
        store.merchantId,
        'terminal.created',
        { type: 'terminal', id: made.terminalId },
        { store_id: store.id, name },
      ),
    );
    return {
      id: made.terminalId,
      object: 'terminal',
      store_id: store.id,
      name,
      status: 'pending',
      activation_code: made.activationCode,
      activation_expires_at: toIso(made.activationExpiresAt),
    };
  });
}

/** A fresh activation code for a terminal (the previous one stops working). */
export async function reissueActivationCode(
  ctx: ProvisioningContext,
  session: StaffSession,
  terminalId: string,
): Promise<TerminalView> {
  const terminal = await terminalInScope(ctx, session, terminalId);
  return ctx.db.transaction().execute(async (trx): Promise<TerminalView> => {
    const code = await ctx.terminals.reissueActivationCode(terminal.id, trx);
    await ctx.audit.record(
      trx,
      setupEvent(session, terminal.merchantId, 'terminal.activation_code_reissued', {
        type: 'terminal',
        id: terminal.id,
      }),
    );
    return { ...terminalView(terminal), activation_code: code };
  });
}

/** Retire a terminal for good: its key stops working at once. */
export async function retireTerminal(
  ctx: ProvisioningContext,
  session: StaffSession,
  terminalId: string,
): Promise<TerminalView> {
  const terminal = await terminalInScope(ctx, session, terminalId);
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.terminals.retire(terminal.id, trx);
    await ctx.audit.record(
      trx,
      setupEvent(
        session,
        terminal.merchantId,
        'terminal.retired',
        { type: 'terminal', id: terminal.id },
        { was: terminal.status },
      ),
    );
  });
  return { ...terminalView(terminal), status: 'retired' };
}

/** A terminal of a store the session may act on; absent or outside the scope is 404. */
async function terminalInScope(ctx: ProvisioningContext, session: StaffSession, terminalId: string) {
  const terminal = await ctx.terminals.describe(terminalId);
  if (!terminal) throw AppError.from(CommonErrors, 'NOT_FOUND');
  assertStoreInScope(session, { id: terminal.storeId, merchantId: terminal.merchantId });
  return terminal;
}

function terminalView(t: { id: string; storeId: string; name: string; status: string }): TerminalView {
  return { id: t.id, object: 'terminal', store_id: t.storeId, name: t.name, status: t.status };
}
