// The staff request context lives in the access module, below auth and audit; this re-export keeps older imports.
export { type StaffSession, staffOf } from '../access/index.js';
