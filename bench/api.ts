/**
 * The contract between `npm run bench` (bench/bench.ts) and its modules. A module is any file bench/NAME.bench.ts
 * exporting `run` (and optionally `title`); bench.ts finds them by name at build time (esbuild bundles every
 * bench/*.bench.ts), runs them one after another, and prints all rows in one table.
 */

/** Context handed to every module's `run`. */
export interface BenchContext {
  /** The repository root (examples/, bench/ and test/fixtures/ live under it). */
  root: string;
  /** Command-line flags after `npm run bench --` (e.g. ["--quick"]). */
  argv: readonly string[];
  /** True with --quick: modules should shrink their workloads (rows then say so in `note`). */
  quick: boolean;
  /** Progress lines go to stderr so that stdout holds only the table. */
  log(message: string): void;
}

/** One measured case. Times are wall-clock milliseconds measured in this run; null when skipped. */
export interface BenchRow {
  /** Case name, e.g. "moons-adam". */
  name: string;
  /** NN Lab's time. */
  ms: number | null;
  /** What NN Lab's time is compared with, measured in the same run. */
  baseline?: { name: string; ms: number | null };
  /**
   * CPU time (user + system) of the same measurements, where a module records it: on a shared machine wall-clock
   * time mostly measures the other processes, CPU time much less so.
   */
  cpu?: { ms: number; baselineMs: number | null };
  /** Anything needed to read the row honestly (workload, skipped reason, accuracy reached). */
  note?: string;
}

export interface BenchModule {
  /** Heading for this module's rows; defaults to the file name. */
  title?: string;
  run(ctx: BenchContext): BenchRow[] | Promise<BenchRow[]>;
}
