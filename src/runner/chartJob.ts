/** The chart worker's jobs: vega rendered headless to SVG and HTML documents, stored runs' boundaries, optimizer paths. Node only. */
import { renderCostSvg } from '../node/charts/render';
import { comparisonReportHtml } from '../node/charts/report';
import type { Job, JobResult } from '../protocol/worker';
import { runJob } from './job';

export async function runChartJob(job: Job): Promise<JobResult> {
  switch (job.kind) {
    case 'costSvg':
      return { kind: 'rendered', text: await renderCostSvg(job.runs, { width: job.width }) };
    case 'reportHtml': {
      const options = {
        ...(job.title ? { title: job.title } : {}),
        ...(job.subtitle ? { subtitle: job.subtitle } : {}),
      };
      return { kind: 'rendered', text: await comparisonReportHtml(job.runs, options) };
    }
    case 'boundary':
    case 'paths':
      // A stored run's boundary is drawn with its chart: one forward pass, no training; optimizer paths are
      // 625 forward passes.
      return runJob(job, { onEpoch: () => {}, shouldStop: () => false });
    default:
      throw new Error(`${job.kind} jobs run in the training worker`);
  }
}
