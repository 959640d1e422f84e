/** The terminal API's objects, as the SDK types them (from the server's own OpenAPI). */
export type {
  Announcement,
  PaymentMethod as PaymentMethodInput,
  Refund,
  Sale,
  Settlement,
} from '../../../src/sdk/index.js';
