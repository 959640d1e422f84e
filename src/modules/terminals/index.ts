// The terminals module as other modules see it: they import it only through this file (docs/architecture.md).
export { operatorOf, terminalOf } from './request-context.js';
export type { OperatorContext, TerminalContext } from './terminals.service.js';
export { TerminalsService } from './terminals.service.js';
