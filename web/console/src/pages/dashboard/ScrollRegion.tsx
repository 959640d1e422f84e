import type { ReactNode } from 'react';

/**
 * A table wider than a phone scrolls sideways inside this region, which keyboard users can focus to scroll (axe:
 * scrollable-region-focusable) and screen readers announce by `label`.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it
    <section aria-label={label} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%' }}>
      {children}
    </section>
  );
}
