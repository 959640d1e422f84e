import type { paths } from '../../../src/sdk/api-types.js';

/** The terminal API's objects as the server's own OpenAPI describes them (src/sdk/api-types.ts). */
export type Sale = paths['/v1/sales/{id}']['get']['responses'][200]['content']['application/json'];
export type Refund = paths['/v1/refunds/{id}']['get']['responses'][200]['content']['application/json'];
export type Settlement = paths['/v1/settlements']['post']['responses'][201]['content']['application/json'];
export type PaymentMethodInput = paths['/v1/sales']['post']['requestBody'] extends
  | { content: { 'application/json': { payment_method: infer M } } }
  | undefined
  ? M
  : never;
