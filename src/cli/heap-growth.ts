import v8 from 'node:v8';

/**
 * How much V8 lets the old generation grow past what the last full collection kept before collecting again, in percent.
 * V8's own factor (up to 4× when collections are fast) let a server that keeps about 40 MB alive sit at 90 MB of old
 * space between collections, and its peak RSS at 264–305 MB under refund load; at 30 % the peak is about 212 MB with
 * the same throughput and latency (`npm run bench -- --only sqlite`, docs/performance.md "Memory").
 */
export const HEAP_GROWING_PERCENT = 30;

const FLAG = '--heap-growing-percent';

/**
 * Bound the heap's growth for the long-running server, unless whoever started the process chose it (`node
 * --heap-growing-percent=… bin/refundkey.js serve`; node refuses V8's heap flags in NODE_OPTIONS). V8 reads this flag at
 * every collection, so setting it once the process runs takes effect from the next one. True when it was set here.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  // V8 accepts its flags with dashes or underscores.
  if (execArgv.some((arg) => arg.replaceAll('_', '-').startsWith(FLAG))) return false;
  v8.setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
  return true;
}
