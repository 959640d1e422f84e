/**
 * Names a person knows, for the ids a message was queued with: the store's name, the terminal's name, the operator's
 * number and name. The composition root supplies it from the modules that own those names (notify imports none of
 * them); a name that cannot be found is left out of the text, never replaced by the id.
 */
export interface MessageDirectory {
  storeName(id: string): Promise<string | undefined>;
  terminalName(id: string): Promise<string | undefined>;
  operator(id: string): Promise<{ operatorNo: string; name: string } | undefined>;
}

const isId = (value: unknown, prefix: string): value is string =>
  typeof value === 'string' && value.startsWith(`${prefix}_`);

async function quietly<T>(lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch {
    return undefined; // a store or terminal removed since: the text leaves it out
  }
}

/**
 * The parameters with names added for the ids in them (`store_id` → `store`, `terminal`/`terminal_id` →
 * `terminal_name`, `operator_id` → `operator_no` and `operator_name`); names the caller gave are kept.
 */
export async function withNames(
  params: Record<string, unknown>,
  directory: MessageDirectory | undefined,
): Promise<Record<string, unknown>> {
  if (!directory) return params;
  const out = { ...params };
  if (!out.store && isId(params.store_id, 'sto')) {
    const id = params.store_id;
    const name = await quietly(() => directory.storeName(id));
    if (name) out.store = name;
  }
  const terminalId = [params.terminal_id, params.terminal].find((v) => isId(v, 'trm'));
  if (!out.terminal_name && typeof terminalId === 'string') {
    const name = await quietly(() => directory.terminalName(terminalId));
    if (name) out.terminal_name = name;
  }
  if (!out.operator_name && isId(params.operator_id, 'opr')) {
    const id = params.operator_id;
    const operator = await quietly(() => directory.operator(id));
    if (operator) {
      out.operator_no = out.operator_no ?? operator.operatorNo;
      out.operator_name = operator.name;
    }
  }
  return out;
}
