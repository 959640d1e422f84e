// The error codes of provisioning are part of the contract: each is in the errors table of docs/api.md with its status.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvitationErrors } from '../../src/modules/invitations/invitations.errors.js';
import { ProvisioningErrors } from '../../src/modules/provisioning/provisioning.errors.js';
import { TerminalErrors } from '../../src/modules/terminals/terminals.errors.js';

describe('docs/api.md documents provisioning', () => {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const documented = new Map(
    [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1] ?? '', Number(m[2])]),
  );

  it('every code of invitations, provisioning and terminals with its status', () => {
    const wrong = Object.entries({ ...InvitationErrors, ...ProvisioningErrors, ...TerminalErrors })
      .filter(([code, spec]) => documented.get(code) !== spec.status)
      .map(([code, spec]) => `${code} ${spec.status} (documented: ${documented.get(code) ?? 'missing'})`);
    expect(wrong).toEqual([]);
  });

  it('every provisioning route', () => {
    for (const route of [
      'POST /v1/merchants',
      'POST /v1/auth/invitations/accept',
      'POST /v1/stores/:id/terminals',
      'POST /v1/terminals/:id/retire',
      'POST /v1/staff',
      'POST /v1/operators',
      'POST /v1/operators/:id/permissions',
      'GET /v1/rate-plans',
    ]) {
      expect(doc).toContain(`\`${route}`);
    }
  });
});
