import { useState } from 'react';
import { ActivationScreen } from './screens/activation.js';
import { AuthorizeScreen } from './screens/authorize.js';
import { HomeScreen } from './screens/home.js';
import { ReceiptScreen } from './screens/receipt.js';
import { RefundScreen } from './screens/refund.js';
import { SaleScreen } from './screens/sale.js';
import { SettlementScreen } from './screens/settlement.js';
import { SignInScreen } from './screens/sign-in.js';
import { TodayScreen } from './screens/today.js';
import { useTerminal } from './terminal.js';
import type { Refund, Sale } from './types.js';

/** Where the cashier is. The refund path is: refund (find + amount + reason) → authorize (→ waiting) → result. */
export type Route =
  | { name: 'home' }
  | { name: 'sale' }
  | { name: 'receipt'; sale: Sale }
  | { name: 'today' }
  | { name: 'refund'; sale?: Sale }
  | { name: 'authorize'; refund: Refund; sale: Sale }
  | { name: 'settlement' };

export type Navigate = (route: Route) => void;

/** The terminal app: activation, then the operator's sign-in, then the cashier's screens. */
export function App() {
  const { credentials } = useTerminal();
  const [route, setRoute] = useState<Route>({ name: 'home' });
  if (!credentials.terminalKey) return <ActivationScreen />;
  if (!credentials.operatorSession) return <SignInScreen />;
  const go: Navigate = (next) => {
    setRoute(next);
    window.scrollTo(0, 0);
  };
  switch (route.name) {
    case 'sale':
      return <SaleScreen go={go} />;
    case 'receipt':
      return <ReceiptScreen go={go} sale={route.sale} />;
    case 'today':
      return <TodayScreen go={go} />;
    case 'refund':
      return <RefundScreen go={go} sale={route.sale} />;
    case 'authorize':
      return <AuthorizeScreen go={go} refund={route.refund} sale={route.sale} />;
    case 'settlement':
      return <SettlementScreen go={go} />;
    default:
      return <HomeScreen go={go} />;
  }
}
