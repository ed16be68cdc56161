// The saved comparison report: self-contained HTML with both charts inline and the table, every value escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonReportHtml } from '../../src/node/charts/report';
import { grid, run } from './fixtures';

test('report: inline cost and boundary SVGs, one table row per run, no scripts or external resources', async () => {
  const runs = [
    run('1', 'gd <b>', 100, { config: { 'train.optimizer': 'gd' }, boundary: grid(40, 2, 20) }),
    run('2', 'adam', 100, { config: { 'train.optimizer': 'adam' }, boundary: grid(40, 2, 20) }),
  ];
  const html = await comparisonReportHtml(runs, { subtitle: 'examples/optimization.nnlab.json' });
  assert.equal((html.match(/<svg/g) ?? []).length, 2);
  assert.equal((html.match(/<tr class="status-/g) ?? []).length, 2);
  assert.match(html, /<th>train\.optimizer<\/th>/);
  assert.match(html, /gd &lt;b&gt;/);
  assert.doesNotMatch(html, /<b>/);
  assert.doesNotMatch(html, /<script|<link|src="http/);
  // Two boundaries of 40 × 40 cells side by side.
  assert.equal(
    (
      html
        .split('cells_0_marks')[1]!
        .split('</g>')[0]!
        .match(/<path /g) ?? []
    ).length,
    1600,
  );
});
