/** A passkey ceremony the browser or the authenticator refused (no fingerprint, canceled, timed out, wrong site). */
export function isCeremonyFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: unknown }).cause;
  return (
    ['NotAllowedError', 'AbortError', 'WebAuthnError', 'SecurityError', 'InvalidStateError'].includes(error.name) ||
    (cause instanceof Error && cause.name === 'NotAllowedError')
  );
}
