import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { RelyingParty } from './passkey.service.js';

/**
 * The relying party of a passkey ceremony: WEBAUTHN_RP_ID and WEBAUTHN_ORIGIN when set (needed behind a TLS-terminating
 * proxy, where the request's scheme is not the browser's), else the host the request came to. Browsers refuse passkeys
 * on a bare IP address, so local use is `localhost` (docs/security.md "Passkeys").
 */
export function relyingPartyOf(config: Config, request: FastifyRequest): RelyingParty {
  const origin = config.webauthnOrigin
    ? new URL(config.webauthnOrigin).origin
    : new URL(`${request.protocol}://${request.host}`).origin; // URL drops a default port, as browsers do
  return { id: config.webauthnRpId ?? new URL(origin).hostname, origin };
}
