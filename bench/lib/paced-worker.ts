// Paced card sales in a worker thread of the bench process (see runPacedSales in scenarios.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { type LoadOptions, runPaced } from './load.js';
import { saleRequest } from './scenarios.js';
import type { BenchTerminal } from './terminal-api.js';

const { options, terminals } = workerData as { options: LoadOptions & { rate: number }; terminals: BenchTerminal[] };
parentPort?.postMessage(await runPaced(options, saleRequest(terminals)));
