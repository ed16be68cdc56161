/**
 * The chart worker (dist/charts-worker.js): renders cost-chart SVGs (hovers) and Save report documents with vega,
 * headless, so neither vega's weight nor its rendering time lands on the extension host or in training threads.
 */
import { runChartJob } from '../runner/chartJob';
import { serve } from './serve';

serve(runChartJob);
