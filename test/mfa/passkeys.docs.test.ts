// The error codes of passkeys and QR login are part of the contract: each is in the errors table of docs/api.md with
// its status, and the routes have their sections (issue 12 items 3, 4).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MfaErrors } from '../../src/modules/mfa/mfa.errors.js';
import { QrLoginErrors } from '../../src/modules/qr-login/qr-login.errors.js';

describe('docs/api.md documents passkeys and QR login', () => {
  const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
  const documented = new Map(
    [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1] ?? '', Number(m[2])]),
  );

  it('lists every passkey and QR-login error code with its status', () => {
    const passkeyCodes = Object.entries(MfaErrors).filter(([code]) => code.startsWith('PASSKEY_'));
    expect(passkeyCodes.length).toBeGreaterThan(0);
    const wrong = [...passkeyCodes, ...Object.entries(QrLoginErrors)]
      .filter(([code, spec]) => documented.get(code) !== spec.status)
      .map(([code, spec]) => `${code} ${spec.status} (documented: ${documented.get(code) ?? 'missing'})`);
    expect(wrong).toEqual([]);
  });

  it('has a section for each, naming every route', () => {
    expect(doc).toContain('## Passkeys');
    expect(doc).toContain('## QR login');
    for (const route of [
      'POST /v1/me/passkeys/options',
      'POST /v1/me/passkeys/:id/remove',
      'POST /v1/auth/second-factor/passkey/options',
      'POST /v1/auth/reauth/passkey/options',
      'POST /v1/auth/qr-logins',
      'GET /v1/auth/qr-logins/:id',
      'POST /v1/qr-logins/:id/inspect',
      'POST /v1/qr-logins/:id/passkey-options',
      'POST /v1/qr-logins/:id/approve',
      'POST /v1/qr-logins/:id/deny',
    ]) {
      expect(doc).toContain(route);
    }
  });
});
