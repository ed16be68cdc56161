/**
 * One CSV load in a process of its own, for bench/csvload.bench.ts: `node dist/bench-csv-load.js FILE.csv` loads
 * FILE with the loader training uses (the whole file into the course layout) and prints
 * {"rows", "columns", "seconds", "maxRssBytes"}, like `peers.py loadtxt FILE.csv` does for numpy.
 */
import { dirname, basename } from 'node:path';
import { loadCsv } from '../src/node/datasets/csv';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: bench-csv-load.js FILE.csv\n');
  process.exit(2);
}
const started = performance.now();
const set = loadCsv(basename(file), dirname(file));
const seconds = (performance.now() - started) / 1000;
// ru_maxrss is in KiB on Linux.
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ rows: set.X.cols, columns: set.X.rows + 1, seconds, maxRssBytes })}\n`);
