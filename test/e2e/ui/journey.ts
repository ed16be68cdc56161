// The user's path through NN Lab in a real VS Code workbench (code-server), as a list of steps. Each step
// asserts what a user would see and leaves a screenshot `NN-name.png`; a failing step is recorded with its
// error and a screenshot, and the journey goes on with the next step. Driven by scripts/e2e/run.mjs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Workbench, pollFrame } from './workbench';
import { sel } from './selectors';

export interface Server {
  url: string;
  workspace: string;
  stop(): void;
}
type MeasuredServer = Server & { child: { pid?: number } };
export interface JourneyContext {
  browser: Browser;
  startServer(options: { trust: boolean; name: string }): Promise<MeasuredServer>;
  screenshots: string;
  log(message: string): void;
  /** Logs the memory of the server's process tree and the browser's. */
  memory?(server: MeasuredServer): void;
  step(title: string, ok: boolean, detail?: string): void;
}

/** Waits until the visible editor text (with inline decorations) matches. */
async function waitForText(wb: Workbench, pattern: RegExp, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!pattern.test(await wb.editorText())) {
    if (Date.now() > deadline) throw new Error(`editor text never matched ${pattern}`);
    await wb.page.waitForTimeout(100); // a poll interval, not a wait for something to happen
  }
}

/**
 * The drawn series of the cost chart: the panel names its line marks `curves…` (one per run and series, or
 * one per run in older builds); a series counts when it has points.
 */
function series(
  marks: Record<string, { instances: number; items: number }> | undefined,
): Array<{ name: string; items: number }> {
  return Object.entries(marks ?? {})
    .filter(([name, m]) => name.startsWith('curves') && m.items > 0)
    .map(([name, m]) => ({ name, items: m.items }));
}

/** Mark instances with items, and their items, over the marks named `prefix` or `prefix_…` (one per run). */
function marksNamed(
  marks: Record<string, { instances: number; items: number }> | undefined,
  prefix: string,
): { instances: number; items: number } {
  let instances = 0;
  let items = 0;
  for (const [name, m] of Object.entries(marks ?? {})) {
    if ((name === prefix || name.startsWith(`${prefix}_`)) && m.items > 0) {
      instances += m.instances;
      items += m.items;
    }
  }
  return { instances, items };
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export async function journey(ctx: JourneyContext): Promise<void> {
  let n = 0;
  // NNLAB_E2E_STEPS=<regex> runs only the matching steps (and the first, which opens the workbench).
  const only = process.env.NNLAB_E2E_STEPS ? new RegExp(process.env.NNLAB_E2E_STEPS, 'i') : undefined;
  /** Runs one step; its screenshot is taken whether it passes or fails. */
  const step = async (page: Page, title: string, body: () => Promise<void>): Promise<boolean> => {
    n++;
    if (only && n > 1 && !only.test(title) && !title.startsWith('workbench')) return true;
    const shot = join(
      ctx.screenshots,
      `${String(n).padStart(2, '0')}-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`,
    );
    try {
      await body();
      await new Workbench(page).screenshot(shot);
      ctx.step(title, true);
      ctx.log(`PASS ${title}`);
      return true;
    } catch (e) {
      await page.screenshot({ path: shot }).catch(() => {});
      // CI prints this message and nothing else: the error's first lines, then what the workbench showed.
      const error = ((e as Error).message ?? String(e))
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, 3);
      const detail = [...error, await new Workbench(page).describe()].join('\n');
      ctx.step(title, false, detail);
      ctx.log(`FAIL ${title}: ${detail.split('\n')[0]}`);
      return false;
    }
  };

  // --- trusted workspace: the main journey
  const server = await ctx.startServer({ trust: true, name: 'ui' });
  // A run long enough to cancel: a million epochs of the optimization lab's network.
  writeFileSync(
    join(server.workspace, 'long.nnlab.json'),
    JSON.stringify(
      {
        experiments: {
          long: {
            data: { dataset: 'moons', samples: 300, noise: 0.2, seed: 3 },
            model: { layers: [2, 5, 2, 1] },
            train: { epochs: 1_000_000 },
          },
        },
      },
      null,
      2,
    ),
  );
  // A run long enough to watch live (#17): the same network, 1,500,000 epochs (~40 s; a snapshot arrives every ~48,000 epochs).
  writeFileSync(
    join(server.workspace, 'live.nnlab.json'),
    JSON.stringify(
      {
        experiments: {
          live: {
            data: { dataset: 'moons', samples: 300, noise: 0.2, seed: 3 },
            model: { layers: [2, 5, 2, 1] },
            train: { epochs: 1_500_000 },
          },
        },
      },
      null,
      2,
    ),
  );
  const page = await ctx.browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const wb = new Workbench(page);
  try {
    const opened = await step(page, 'workbench opens the examples folder', async () => {
      await wb.open(server.url, server.workspace, 'optimization.nnlab.json');
    });
    if (!opened) return;

    await step(page, 'NN Lab is installed from the VSIX', async () => {
      await wb.runCommand('Extensions: Show Installed Extensions');
      const row = page.locator(sel.extensionsListRow('NN Lab'));
      await row.first().waitFor({ timeout: 30_000 });
      check(!(await row.first().innerText()).includes('Disabled'), 'the extension is listed as disabled');
      await wb.runCommand('View: Show Explorer');
    });

    await step(page, 'optimization.nnlab.json shows its code lenses', async () => {
      await wb.openFile('optimization.nnlab.json');
      await wb.waitForLens('▶ Run', 60_000);
      await wb.waitForLens('⇄ Compare all');
      // Lenses are re-rendered whenever the server refreshes them, so wait for the full set rather than read once.
      const expected = (t: string[]) =>
        t.filter((x) => x === '▶ Run').length === 3 && t.filter((x) => x.startsWith('∇ Check gradients')).length === 3;
      let texts: string[] = [];
      const deadline = Date.now() + 30_000;
      while (!expected((texts = await wb.lensTexts())) && Date.now() < deadline) await page.waitForTimeout(100); // poll interval
      check(
        expected(texts),
        `three ▶ Run and three ∇ Check gradients lenses (gd, momentum, adam); got ${texts.join(' | ')}`,
      );
    });

    await step(
      page,
      '▶ Run on adam shows progress, the panel with a cost curve and boundary, and 94.0% inline',
      async () => {
        await wb.clickLensAbove('▶ Run', '"adam":');
        const progress = wb.notification(/NN Lab.*adam|epoch \d+\/10000/);
        await progress.first().waitFor({ timeout: 30_000 });
        ctx.log(`progress: ${(await progress.first().innerText()).replace(/\s+/g, ' ')}`);
        // One run: the status bar names it and says where it is.
        await page
          .locator(sel.statusBar, { hasText: /NN Lab: adam · (starting|epoch \d+\/10000)/ })
          .waitFor({ timeout: 10_000 });
        const frame = await wb.panelFrame(60_000);
        await frame.locator('header.summary', { hasText: 'adam' }).waitFor({ timeout: 60_000 });
        await frame.locator('header.summary .badge', { hasText: /ok|done|✓/i }).waitFor({ timeout: 120_000 });
        const drawn = await wb.panelDrawing(frame, ['cost', 'boundary']);
        ctx.log(`panel: ${JSON.stringify(drawn)}`);
        const curves = series(drawn.cost?.marks);
        check(curves.length === 1, `one cost curve is drawn: ${JSON.stringify(curves)}`);
        check(curves[0]!.items >= 500, `the curve has the run's points: ${curves[0]!.items}`);
        const cells = marksNamed(drawn.boundary?.marks, 'cells');
        check(
          cells.instances === 1 && cells.items >= 100 * 100,
          `one boundary of ≥ 100×100 cells: ${JSON.stringify(cells)}`,
        );
        check(
          (drawn.cost?.inkedPixels ?? 0) > 500 && (drawn.boundary?.inkedPixels ?? 0) > 5000,
          'both canvases have pixels drawn',
        );
        await waitForText(wb, /94\.0%/, 30_000);
        const line = (await wb.editorText()).split('\n').find((l) => l.includes('94.0%'));
        ctx.log(`inline: ${line?.trim()}`);
        check(line?.includes('"adam"'), `94.0% is on adam's line: ${line}`);
      },
    );

    await step(page, 'Compare all shows three cost curves, three boundaries and the table', async () => {
      await wb.clickLensAbove('⇄ Compare all', '"experiments":');
      const frame = await wb.panelFrame();
      await frame.locator('#compare-table tbody tr').nth(2).waitFor({ timeout: 180_000 });
      await pollFrame(
        frame,
        `Array.from(document.querySelectorAll('#compare-table tbody tr')).filter((r) => /ok/.test(r.textContent)).length === 3`,
        180_000,
        'three finished runs in the table',
      );
      const rows = await frame.locator('#compare-table tbody tr td:first-child').allInnerTexts();
      check(
        JSON.stringify([...rows].sort()) === JSON.stringify(['adam', 'gd', 'momentum']),
        `table rows: ${rows.join(', ')}`,
      );
      const drawn = await wb.panelDrawing(frame, ['cost', 'boundary']);
      ctx.log(`panel: ${JSON.stringify(drawn)}`);
      const curves = series(drawn.cost?.marks);
      check(curves.length === 3 && curves.every((c) => c.items >= 500), `three cost curves: ${JSON.stringify(curves)}`);
      const cells = marksNamed(drawn.boundary?.marks, 'cells');
      check(
        cells.instances === 3 && cells.items >= 3 * 100 * 100,
        `three boundaries of ≥ 100×100 cells: ${JSON.stringify(cells)}`,
      );
      const headers = await frame.locator('#compare-table th').allInnerTexts();
      check(
        headers.some((h) => /optimizer/.test(h)),
        `the differing key is a column: ${headers.join(', ')}`,
      );
      // One network, one data set: the optimizer paths follow from the chart worker (#17).
      await frame.locator('#paths-chart canvas').waitFor({ timeout: 60_000 });
      const paths = await wb.panelDrawing(frame, ['paths']);
      ctx.log(`paths: ${JSON.stringify(paths)}`);
      const lines = marksNamed(paths.paths?.marks, 'paths');
      check(lines.instances === 3, `one optimizer path per run: ${JSON.stringify(paths.paths?.marks)}`);
      check(
        marksNamed(paths.paths?.marks, 'landscape').items === 25 * 25,
        `the cost on a 25×25 grid: ${JSON.stringify(paths.paths?.marks)}`,
      );
      check((paths.paths?.inkedPixels ?? 0) > 5000, 'the paths canvas has pixels drawn');
      await frame.locator('#paths-chart').scrollIntoViewIfNeeded();
      await wb.screenshot(join(ctx.screenshots, `${String(n).padStart(2, '0')}-optimizer-paths.png`));
    });

    await step(
      page,
      'the Network tab follows a run live, and its replay slider works after Reload Window',
      async () => {
        await wb.openFile('live.nnlab.json');
        // As long as the journey's first lens wait: run alone (NNLAB_E2E_STEPS), this step starts the language server.
        await wb.waitForLens('▶ Run', 60_000);
        // The panel is opened first, so the run starts with it ready: a panel created by the run (as when this
        // step runs alone) loaded its scripts while the run trained, and under load the run had finished first.
        await wb.runCommand('NN Lab: Show Panel');
        await wb.panelFrame(60_000);
        await wb.clickLensAbove('▶ Run', '"live":');
        let frame = await wb.panelFrame(60_000);
        await frame.locator('header.summary', { hasText: 'live' }).waitFor({ timeout: 60_000 });
        await frame.locator('#tab-network').click();
        // Live: the diagram is redrawn as snapshots arrive (at most twice a second); the label names the epoch shown.
        const seen = new Set<string>();
        const deadline = Date.now() + 120_000;
        while (seen.size < 3 && Date.now() < deadline && (await frame.locator('#live-note').count())) {
          const text = await frame.evaluate(`document.querySelector('#live-epoch')?.textContent ?? ''`);
          if (/^epoch \d+$/.test(String(text))) seen.add(String(text));
          await page.waitForTimeout(100); // poll interval
        }
        ctx.log(`live network epochs: ${[...seen].join(', ')}`);
        check(seen.size >= 3, `the live network view showed ≥ 3 epochs while training: ${[...seen].join(', ')}`);
        const live = await wb.panelDrawing(frame, ['network']);
        check(
          marksNamed(live.network?.marks, 'edges').items === 2 * 5 + 5 * 2 + 2 * 1,
          `22 weights drawn live: ${JSON.stringify(live.network?.marks)}`,
        );

        // Finished: the replay slider, moved to the fourth snapshot.
        await frame.locator('#replay').waitFor({ timeout: 180_000 });
        const slide = async (f: typeof frame, index: number) => {
          await f.evaluate(
            `(() => { const s = document.querySelector('#replay'); s.value = '${index}'; s.dispatchEvent(new Event('input')); })()`,
          );
          await f.evaluate('window.nnlab.settled()');
          return String(await f.evaluate(`document.querySelector('#replay-epoch').textContent`));
        };
        const before = await slide(frame, 3);
        check(/^epoch \d+ \(4\/\d+\)$/.test(before), `the slider shows the fourth snapshot: ${before}`);

        // A window reload: the panel comes back on the Network tab with its snapshots, and the slider still works.
        await wb.reloadWindow(60_000);
        frame = await wb.panelFrame(90_000);
        await frame.locator('#replay').waitFor({ timeout: 60_000 });
        const after = await slide(frame, 5);
        ctx.log(`replay before reload: ${before}; after: ${after}`);
        check(/^epoch \d+ \(6\/\d+\)$/.test(after), `after the reload the slider shows the sixth snapshot: ${after}`);
        const drawn = await wb.panelDrawing(frame, ['replayBoundary', 'network']);
        check(
          marksNamed(drawn.replayBoundary?.marks, 'cells').items >= 100 * 100,
          `the replayed boundary is drawn: ${JSON.stringify(drawn.replayBoundary?.marks)}`,
        );
        check(
          marksNamed(drawn.network?.marks, 'edges').items === 22,
          `the replayed network is drawn: ${JSON.stringify(drawn.network?.marks)}`,
        );
      },
    );

    await step(
      page,
      '▶ Run sweep on adam draws every trial in parallel coordinates, highlights the best and ranks the table',
      async () => {
        // The panel hidden behind sweep.nnlab.json in its own group, then a window reload: the restored panel stays
        // an unrevived tab until shown. The run must show that one panel, not a second beside it.
        await wb.runCommand('NN Lab: Show Panel');
        await wb.panelFrame(60_000);
        await wb.openFile('sweep.nnlab.json');
        const hidden = await wb.editorGroups();
        check(
          hidden.some(
            (g) =>
              g.tabs.some((t) => t.title === sel.panelTabTitle && !t.active) &&
              g.tabs.some((t) => t.active && t.title === 'sweep.nnlab.json'),
          ),
          'setup: sweep.nnlab.json opened in front of the panel, in its group',
        );
        await wb.reloadWindow(60_000);
        await wb.waitForLens('▶ Run sweep (', 60_000);
        const title = await wb.clickLensAbove('▶ Run sweep (', '"adam":');
        ctx.log(`lens: ${title}`);
        const trials = Number(/^▶ Run sweep \((\d+) trials\)$/.exec(title)?.[1]);
        check(trials >= 2, `the lens above adam names how many trials it runs: "${title}"`);
        const frame = await wb.panelFrame(60_000);
        const groups = await wb.editorGroups();
        const panels = groups.flatMap((g) => g.tabs).filter((t) => t.title === sel.panelTabTitle);
        check(panels.length === 1, `one NN Lab panel after the reload, not ${panels.length}`);
        check(
          !groups.some(
            (g) =>
              g.tabs.some((t) => t.title === sel.panelTabTitle) && g.tabs.some((t) => t.title === 'sweep.nnlab.json'),
          ),
          'the panel is beside sweep.nnlab.json, not in its group',
        );
        await frame.locator(sel.panelTitle, { hasText: `Sweep: ${trials} trials` }).waitFor({ timeout: 60_000 });
        await frame.locator(sel.sweepChart).waitFor({ timeout: 10_000 });
        // Every trial has ended (whatever its status) once no row of the table is still running.
        await pollFrame(
          frame,
          `(() => { const rows = Array.from(document.querySelectorAll(${JSON.stringify(sel.compareRows)}));
          return rows.length === ${trials} && rows.every((r) => !r.classList.contains('status-running')); })()`,
          180_000,
          `${trials} ended trials in the table`,
        );
        const statuses = await frame.locator(sel.compareRows).evaluateAll((rows) => rows.map((r) => r.className));
        check(
          statuses.every((c) => c === 'status-ok'),
          `every trial finished ok: ${statuses.join(', ')}`,
        );

        // The ranked table: one row per trial, named after adam, sorted by the picked metric (final cost, ascending).
        const names = (await frame.locator(sel.compareNameCells).allInnerTexts()).map((t) => t.trim());
        ctx.log(`table: ${names.join(' | ')}`);
        check(
          names.length === trials && names.every((t) => t.startsWith('adam[')),
          `${trials} rows named adam[…]: ${names.join(', ')}`,
        );
        check(new Set(names).size === trials, `the rows are distinct trials: ${names.join(', ')}`);
        const metric = await frame.locator(sel.metricPicker).inputValue();
        check(metric === 'finalCost', `trials are ranked by final cost: ${metric}`);
        const headers = (await frame.locator(sel.compareHeaders).allInnerTexts()).map((t) => t.trim());
        const costColumn = headers.indexOf('final cost');
        check(costColumn >= 0, `a final cost column: ${headers.join(', ')}`);
        const sorted = await frame.locator(sel.compareHeaders).nth(costColumn).getAttribute('aria-sort');
        check(sorted === 'ascending', `the table is sorted by final cost, ascending: aria-sort=${sorted}`);
        const costs = await frame
          .locator(sel.compareRows)
          .evaluateAll((rows, i) => rows.map((r) => Number(r.children[i]?.textContent)), costColumn);
        check(
          costs.every((c, i) => Number.isFinite(c) && (i === 0 || c >= costs[i - 1]!)),
          `final costs ascend down the table: ${costs.join(', ')}`,
        );

        // The parallel coordinates: one polyline per trial, every one across the same axes.
        const lines = (await wb.panelLines(frame, 'sweep')).filter((l) => typeof l.datum?.trial === 'string');
        ctx.log(
          `parallel lines: ${JSON.stringify(lines.map((l) => ({ mark: l.mark, trial: l.datum!.trial, rank: l.datum!.rank, points: l.points, strokeWidth: l.strokeWidth, stroke: l.stroke })))}`,
        );
        const drawnTrials = lines.map((l) => String(l.datum!.trial));
        check(
          lines.length === trials,
          `${trials} polylines, one per trial: ${lines.length} (${drawnTrials.join(', ')})`,
        );
        check(
          JSON.stringify([...drawnTrials].sort()) === JSON.stringify([...names].sort()),
          `the polylines are the table's trials: ${drawnTrials.join(', ')}`,
        );
        check(
          lines.every((l) => l.points >= 3 && l.points === lines[0]!.points),
          `every polyline crosses the same ≥ 3 axes: ${lines.map((l) => l.points).join(', ')}`,
        );
        // The best trial is drawn wider than every other, as rank 0, and is the table's first row.
        const widths = lines.map((l) => l.strokeWidth ?? 0);
        const widest = Math.max(...widths);
        const best = lines.filter((l) => l.strokeWidth === widest);
        check(best.length === 1, `exactly one polyline is highlighted: widths ${widths.join(', ')}`);
        check(best[0]!.datum!.rank === 0, `the highlighted polyline is rank 0: ${JSON.stringify(best[0]!.datum)}`);
        check(
          best[0]!.datum!.trial === names[0],
          `the highlighted trial ${String(best[0]!.datum!.trial)} is the table's best, ${names[0]}`,
        );
        const drawn = await wb.panelDrawing(frame, ['sweep']);
        check(
          (drawn.sweep?.inkedPixels ?? 0) > 2000,
          `the parallel-coordinates canvas has pixels drawn: ${drawn.sweep?.inkedPixels}`,
        );
        // The sweep's line names the same best trial.
        await waitForText(wb, /✓ best adam\[/, 30_000);
        const line = (await wb.editorText()).split('\n').find((l) => l.includes('✓ best'));
        ctx.log(`inline: ${line?.trim()}`);
        check(
          line?.includes('"adam"') && line.includes(`best ${names[0]} `) && line.includes(`${trials} trials`),
          `adam's line names the best of ${trials} trials, ${names[0]}: ${line}`,
        );
        // The table sits below the charts: a picture of it, then back to the chart for the step's screenshot.
        await frame.locator(sel.compareTable).scrollIntoViewIfNeeded();
        await wb.screenshot(join(ctx.screenshots, `${String(n).padStart(2, '0')}-sweep-ranked-table.png`));
        await frame.locator(sel.panelTitle).scrollIntoViewIfNeeded();
      },
    );

    await step(
      page,
      'gradient check of course-buggy fails on W2 and b1 in the panel (closed before, opened by the check) and the Testing view',
      async () => {
        await wb.openFile('gradient-checking/gradient-checking.nnlab.json');
        // The panel is open after the runs above; closing it first checks that the check itself opens it.
        await wb.runCommand('View: Close Editors in Other Groups');
        await page.locator(sel.webviewOuter).first().waitFor({ state: 'detached', timeout: 10_000 });
        await wb.clickLensAbove('∇ Check gradients', '"course-buggy":');
        await page.locator(sel.failedGutterIcon).first().waitFor({ timeout: 120_000 });
        const frame = await wb.panelFrame();
        await frame.locator('#worst-table tbody tr').first().waitFor({ timeout: 120_000 });
        const failing = await frame.locator('#worst-table tbody tr.fail').allInnerTexts();
        const tensors = new Set(failing.map((r) => r.trim().split(/[\s[]/)[0]));
        check(tensors.has('W2') && tensors.has('b1'), `failing rows name W2 and b1: ${failing.join(' / ')}`);
        const drawn = await wb.panelDrawing(frame, ['gradcheck']);
        check((drawn.gradcheck?.inkedPixels ?? 0) > 500, 'the per-tensor bars are drawn');
        await wb.runCommand('Testing: Focus on Test Explorer View');
        const fileRow = page.locator(sel.testingTreeRow, { hasText: 'gradient-checking' }).first();
        await fileRow.waitFor({ timeout: 30_000 });
        if ((await fileRow.getAttribute('aria-expanded')) !== 'true') await fileRow.click();
        await page.locator(sel.testingTreeRow, { hasText: 'course-buggy' }).first().waitFor({ timeout: 30_000 });
        await page
          .locator(`${sel.testingTreeRow}:has-text("course-buggy") .codicon-testing-failed-icon`)
          .first()
          .waitFor({ timeout: 30_000 });
      },
    );

    await step(page, 'Test Results lists the failing W2 and b1 entries of course-buggy', async () => {
      await wb.runCommand('Test Results: Focus on Test Results View');
      const rows = page.locator(sel.testResultsRow);
      try {
        await rows.filter({ hasText: 'course-buggy' }).first().waitFor({ timeout: 15_000 });
        const buggy = rows.filter({ hasText: 'course-buggy' }).first();
        if ((await buggy.getAttribute('aria-expanded')) === 'false') await buggy.click();
        await rows
          .filter({ hasText: /^\s*W2/ })
          .first()
          .waitFor({ timeout: 15_000 });
        await rows
          .filter({ hasText: /^\s*b1/ })
          .first()
          .waitFor({ timeout: 15_000 });
      } finally {
        ctx.log(`test results rows: ${(await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')).join(' | ')}`);
      }
      const other = (await rows.allInnerTexts()).filter((t) => /^\s*(W1|W3|b2|b3)\[/.test(t));
      check(other.length === 0, `only W2 and b1 are reported: ${other.join(' / ')}`);
    });

    await step(page, "a typo in a key shows one diagnostic (NN Lab's, not also the JSON service's)", async () => {
      await wb.openFile('optimization.nnlab.json');
      // Experiment files have their own language, so VS Code's JSON service (whose $schema check would report the
      // same typo a second time) never attaches to them.
      await page
        .locator(sel.languageMode, { hasText: 'NN Lab Experiment' })
        .first()
        .waitFor({ timeout: 10_000 })
        .catch(async () => {
          throw new Error(
            `the language mode is "${(await page.locator(sel.languageMode).first().innerText()).trim()}", not NN Lab Experiment`,
          );
        });
      await wb.goToText('learningRate');
      await page.keyboard.type('learningRat');
      await wb.runCommand('View: Focus Problems');
      const problem = page.locator(sel.problemsRow, { hasText: 'unknown key "learningRat"' });
      await problem.first().waitFor({ timeout: 30_000 });
      const text = (await problem.first().innerText()).replace(/\s+/g, ' ');
      ctx.log(`problem: ${text}`);
      const line = /\[Ln (\d+),/.exec(text)?.[1];
      check(line, `the problem names its line: ${text}`);
      const onLine = (await page.locator(sel.problemsRow).allInnerTexts())
        .map((t) => t.replace(/\s+/g, ' '))
        .filter((t) => t.includes(`[Ln ${line},`));
      check(onLine.length === 1, `exactly one problem on the typo's line ${line}: ${onLine.join(' / ')}`);
      await wb.screenshot(join(ctx.screenshots, `${String(n).padStart(2, '0')}-a-typo-in-a-key-diagnostic-shown.png`));
      // Put the key back (undo), so the file is valid again for what follows.
      await wb.focusEditor();
      await page.keyboard.press('Control+Z');
      await problem.first().waitFor({ state: 'detached', timeout: 30_000 });
    });

    await step(page, 'Cancel stops a long run', async () => {
      await wb.openFile('long.nnlab.json');
      await wb.clickLensAbove('▶ Run', '"long":');
      const progress = page.locator(sel.notificationToast, { hasText: /epoch \d+\/1000000/ });
      await progress.first().waitFor({ timeout: 60_000 });
      await progress.first().locator('.monaco-button', { hasText: 'Cancel' }).click();
      await waitForText(wb, /cancelled at epoch \d+/, 15_000);
      await page
        .locator(sel.statusBar, { hasText: /NN Lab: (long|\d+ running)/ })
        .waitFor({ state: 'detached', timeout: 10_000 });
      await progress.first().waitFor({ state: 'detached', timeout: 10_000 });
    });
    ctx.memory?.(server);
  } finally {
    await page.close();
    server.stop();
  }

  // --- untrusted workspace (workspace trust on): Restricted Mode
  const untrusted = await ctx.startServer({ trust: false, name: 'untrusted' });
  const page2 = await ctx.browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const wb2 = new Workbench(page2);
  try {
    await step(page2, 'in an untrusted workspace the model module is refused', async () => {
      await wb2.open(untrusted.url, untrusted.workspace, 'optimization.nnlab.json');
      await page2.locator(sel.restrictedModeStatus).first().waitFor({ timeout: 30_000 });
      await wb2.openFile('gradient-checking/gradient-checking.nnlab.json');
      await wb2.clickLensAbove('∇ Check gradients', '"course-buggy":');
      const refusal = wb2.notification(/did not run course-buggy.*not trusted/);
      await refusal.first().waitFor({ timeout: 30_000 });
      ctx.log(`refusal: ${(await refusal.first().innerText()).replace(/\s+/g, ' ')}`);
      await page2
        .locator(sel.notificationButton, { hasText: 'Manage Workspace Trust' })
        .first()
        .waitFor({ timeout: 5_000 });
    });
  } finally {
    await page2.close();
    untrusted.stop();
  }
}
