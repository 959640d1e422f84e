import { describe, expect, it } from 'vitest';
import { boundHeapGrowth } from './heap-growth.js';

describe('boundHeapGrowth', () => {
  it('leaves the heap growth to whoever started the process when they chose it, in either spelling', () => {
    expect(boundHeapGrowth(['--heap-growing-percent=50'])).toBe(false);
    expect(boundHeapGrowth(['--max-old-space-size=512', '--heap_growing_percent=10'])).toBe(false);
  });

  it('bounds it otherwise, whatever other flags the process has', () => {
    expect(boundHeapGrowth(['--enable-source-maps', '--max-old-space-size=512'])).toBe(true);
  });
});
