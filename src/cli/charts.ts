/**
 * The entry of dist/cli-charts.js: the chart renderer `nnlab run --out` draws cost.svg, boundary.svg and paths.svg with.
 * vega and vega-lite are nine tenths of the CLI's code, so they live in this bundle of their own, which Node reads
 * and compiles only when --out asks for charts (see artifacts.ts); every other run starts ~40 ms sooner.
 */
export { runChartFiles } from '../node/charts/runFiles';
export { renderSvg } from '../node/charts/render';
export { pathsSpec } from '../charts/paths';
