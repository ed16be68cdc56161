/**
 * A helper thread of a large CSV file's load (dist/csv-part-worker.js): parses the later part of the file into the
 * caller's shared arrays (node/datasets/csvPart.ts) and ends.
 */
import { workerData } from 'node:worker_threads';
import { type CsvPartJob, servePart } from '../node/datasets/csvPart';

servePart(workerData as CsvPartJob);
