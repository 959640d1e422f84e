import { api, unwrap } from '../../api.js';

/** A support case as GET /v1/support/cases/:id answers it (the generated client's type). */
export type SupportCase = Awaited<ReturnType<typeof fetchCase>>;
export type CaseKind = SupportCase['kind'];
export type CheckKind = SupportCase['checks'][number]['kind'];

export const CASE_KINDS: CaseKind[] = ['locked_out_owner', 'lost_phone', 'forgotten_key', 'lost_second_factor'];
export const DOCUMENT_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'other'] as const;

export const caseQueryKey = (id: string) => ['support-case', id] as const;

export function fetchCase(id: string) {
  return unwrap(api.GET('/v1/support/cases/{id}', { params: { path: { id } } }));
}

/** The check forms' bodies: the document type and last 4 characters only, never a full number. */
export type CheckBody =
  | {
      kind: 'id_document';
      document_type: (typeof DOCUMENT_TYPES)[number];
      last4: string;
      outcome: 'passed' | 'failed';
    }
  | { kind: 'business_licence'; last4: string; outcome: 'passed' | 'failed' }
  | { kind: 'callback'; outcome: 'reached' | 'not_reached' };

/** Exactly 4 letters or digits: what the server accepts (a longer value is refused there, never stored). */
export const LAST4 = /^[0-9A-Za-z]{4}$/;
