// The `refundkey` command run from the sources through tsx (REFUNDKEY_FROM_SOURCE=1, or the reliability suites),
// for when dist/ is not built; same main() as bin/refundkey.js.
import { main } from '../../src/cli/index.js';

process.exitCode = await main(process.argv.slice(2));
