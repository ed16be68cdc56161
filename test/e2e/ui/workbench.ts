// What a user does in the workbench, as small functions over a Playwright page: open a file, run a command from
// the palette, wait for a code lens, reach into a webview. Every wait is a condition with a timeout.
import type { Frame, Locator, Page } from 'playwright-core';
import { sel } from './selectors';

const exact = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/**
 * Polls a boolean expression inside a webview frame. Playwright's waitForFunction compiles its predicate with
 * eval, which the panel's CSP (rightly) forbids; page-level evaluate is not subject to it.
 */
export async function pollFrame(frame: Frame, expression: string, timeout: number, what: string): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await frame.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await frame.page().waitForTimeout(100); // poll interval
  }
}

export const TIMEOUT = { short: 10_000, medium: 30_000, long: 90_000 };

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens the folder and waits until the explorer lists `expectFile`: the workbench is interactive then. */
  async open(url: string, folder: string, expectFile: string): Promise<void> {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await this.page.waitForSelector(sel.workbench, { timeout: TIMEOUT.medium });
    await this.page.waitForSelector(sel.explorerRow(expectFile), { timeout: TIMEOUT.medium });
  }

  /**
   * Opens a workspace file by clicking through the Explorer (`dir/name.json` expands `dir` first). The Explorer
   * is used rather than Quick Open, whose file search was seen to miss files in subfolders while training
   * kept the CPU busy.
   */
  async openFile(path: string): Promise<void> {
    await this.dismissQuickInput();
    await this.runCommand('View: Show Explorer');
    const parts = path.split('/');
    for (const [i, name] of parts.entries()) {
      const row = this.explorerRow(name);
      await row.waitFor({ timeout: TIMEOUT.short });
      if (i < parts.length - 1) {
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
        await this.page
          .locator(`${sel.explorerRows}[aria-expanded="true"]`, {
            has: this.page.locator(sel.explorerLabel, { hasText: exact(name) }),
          })
          .waitFor({ timeout: TIMEOUT.short });
      } else {
        await row.click();
      }
    }
    const name = parts[parts.length - 1]!;
    await this.page.locator(sel.activeTab(name)).waitFor({ timeout: TIMEOUT.short });
    await this.focusEditor();
  }

  /** Keyboard focus into the active editor (after the Explorer, a panel or the Problems view had it). */
  async focusEditor(): Promise<void> {
    const deadline = Date.now() + TIMEOUT.medium;
    for (;;) {
      await this.runCommand('View: Focus Active Editor Group');
      try {
        await this.page.locator(sel.focusedEditor).waitFor({ timeout: 5_000 });
        return;
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        // Seen once under load: the command ran before the freshly opened editor could take focus, and focus
        // never came. A click into the active editor's text gives it focus the way a user would.
        await this.page
          .locator(sel.activeEditorText)
          .first()
          .click({ timeout: TIMEOUT.short })
          .catch(() => undefined);
      }
    }
  }

  explorerRow(name: string): Locator {
    return this.page
      .locator(sel.explorerRows, { has: this.page.locator(sel.explorerLabel, { hasText: exact(name) }) })
      .first();
  }

  /**
   * Runs a command by its palette title, e.g. "NN Lab: Compare Experiments". Some workbench commands register
   * only once their contribution has loaded (seen under load: "Extensions: Show Installed Extensions"), so the
   * palette is reopened until the command is listed, for at most `timeout`.
   */
  async runCommand(title: string, timeout = TIMEOUT.medium): Promise<void> {
    const deadline = Date.now() + timeout;
    const left = (most: number) => Math.min(most, Math.max(1, deadline - Date.now()));
    for (;;) {
      await this.dismissQuickInput();
      // Focus left inside a webview (the panel a step just read) can take itself back and close the palette as it
      // opens (CI: the palette's input appeared, then fill waited 30 s for it): the workbench gets the focus first.
      await this.page
        .evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()')
        .catch(() => undefined); // a page that is reloading has no document to blur yet
      await this.page.keyboard.press('F1');
      const input = this.page.locator(sel.quickInput);
      try {
        // Right after a (re)load, F1 can come before the workbench registered its keybindings, and does nothing;
        // pressing it again is harmless (the palette is dismissed first). Each wait is bounded so that a palette
        // that closed again is opened again, not waited for until the deadline.
        await input.waitFor({ timeout: left(TIMEOUT.short) });
        await input.fill(`>${title}`, { timeout: left(TIMEOUT.short) });
        await this.page
          .locator(sel.quickInputRow(title))
          .first()
          .waitFor({ timeout: left(5_000) });
        break;
      } catch (err) {
        if (Date.now() >= deadline) throw err;
      }
    }
    await this.page.keyboard.press('Enter');
  }

  async dismissQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget:visible').count()) await this.page.keyboard.press('Escape');
  }

  /** The code lens whose text contains `text`; `index` picks among equal lenses in document order. */
  lens(text: string | RegExp): Locator {
    return this.page.locator(sel.codeLens, { hasText: text });
  }

  async waitForLens(text: string | RegExp, timeout = TIMEOUT.medium): Promise<Locator> {
    const lens = this.lens(text).first();
    await lens.waitFor({ timeout });
    return lens;
  }

  /** The lenses currently shown, as text (for assertions and failure messages). */
  async lensTexts(): Promise<string[]> {
    return (await this.page.locator(sel.codeLens).allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  /**
   * The NN Lab panel's document as a Playwright Frame (for evaluating in it): the VISIBLE webview owned by NN Lab,
   * through its two iframes, once the panel's script has exposed its inspection hook (`window.nnlab`) and has the
   * host's state (a restored panel first draws what it saved, then redraws when the host answers). Not the
   * first `iframe.webview.ready`: a webview hidden behind another editor in its group keeps its iframe, and a
   * wait on the first match would wait on that one. The lookup is repeated until the deadline because the inner
   * frame is replaced whenever the extension sets the webview's html (a restored panel gets it after it appears).
   */
  async panelFrame(timeout = TIMEOUT.medium): Promise<Frame> {
    const deadline = Date.now() + timeout;
    const visible = this.page.locator(sel.panelWebview).filter({ visible: true });
    for (;;) {
      let waitingFor = 'a visible NN Lab webview';
      const count = await visible.count();
      if (count > 1) throw new Error(`${count} NN Lab webviews are visible; the workspace has one panel`);
      const outer = count === 1 ? await visible.elementHandle({ timeout: 1_000 }).catch(() => null) : null;
      if (outer) {
        waitingFor = "the NN Lab webview's document";
        const inner = await (await outer.contentFrame())?.$(sel.webviewInner).catch(() => null);
        const frame = await inner?.contentFrame();
        if (frame) {
          waitingFor = "the panel script to start and get the host's state";
          const ready = 'typeof window.nnlab === "object" && window.nnlab.hostStateArrived()';
          if (await frame.evaluate(ready).catch(() => false)) return frame;
        }
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${waitingFor}`);
      await this.page.waitForTimeout(100); // poll interval
    }
  }

  /** The editor groups in layout order, with their tabs' titles; `active` marks the active group and tabs. */
  async editorGroups(): Promise<Array<{ active: boolean; tabs: Array<{ title: string; active: boolean }> }>> {
    return this.page.evaluate(`Array.from(document.querySelectorAll(${JSON.stringify(sel.editorGroups)})).map((g) => ({
      active: g.classList.contains('active'),
      tabs: Array.from(g.querySelectorAll(${JSON.stringify(sel.editorTabs)})).map((t) => ({
        title: (t.textContent || '').trim(),
        active: t.classList.contains('active'),
      })),
    }))`);
  }

  /**
   * What the workbench shows, in a few lines, for a failing step's message (CI prints that and nothing else):
   * the editor groups and their tabs (`>` the active group, `*` each group's active tab), how many code lenses are
   * shown, every webview iframe
   * (its extension, ready or not, visible or not, the group it covers) and the visible notifications.
   */
  async describe(): Promise<string> {
    try {
      if (!(await this.page.locator(sel.workbench).count()))
        return `workbench: not loaded (${await this.page.evaluate('document.readyState')})`;
      const groups = (await this.editorGroups())
        .map(
          (g, i) =>
            `${g.active ? '>' : ''}${i + 1}[${g.tabs.map((t) => `${t.active ? '*' : ''}${t.title}`).join(', ')}]`,
        )
        .join(' ');
      const webviews: string[] = await this.page.evaluate(`(() => {
        const groups = Array.from(document.querySelectorAll(${JSON.stringify(sel.editorGroups)}));
        return Array.from(document.querySelectorAll(${JSON.stringify(sel.webviewAny)})).map((f) => {
          const r = f.getBoundingClientRect();
          const x = r.left + r.width / 2, y = r.top + r.height / 2;
          const group = groups.findIndex((g) => {
            const b = g.getBoundingClientRect();
            return x >= b.left && x <= b.right && y >= b.top && y <= b.bottom;
          });
          const shown = f.checkVisibility({ visibilityProperty: true }) && r.width > 0 && r.height > 0;
          return (new URL(f.src, location.href).searchParams.get('extensionId') || '?') +
            (f.classList.contains('ready') ? ' ready' : ' not-ready') + (shown ? ' visible' : ' hidden') +
            (group < 0 ? '' : ' over group ' + (group + 1));
        });
      })()`);
      const notes = (await this.page.locator(sel.notificationMessage).filter({ visible: true }).allInnerTexts()).map(
        (t) => JSON.stringify(t.replace(/\s+/g, ' ').slice(0, 80)),
      );
      const lenses = await this.lensTexts();
      return [
        `editor groups: ${groups || 'none'}; code lenses: ${lenses.length}${lenses.length ? ` (${lenses.slice(0, 3).join(' | ')}…)` : ''}`,
        `webviews: ${webviews.length}${webviews.length ? ` (${webviews.join('; ')})` : ''}`,
        `notifications: ${notes.join(' ') || 'none'}`,
      ].join('\n');
    } catch (e) {
      return `workbench: not readable (${((e as Error).message ?? String(e)).split('\n')[0]})`;
    }
  }

  /**
   * Developer: Reload Window, returning once the NEW page's workbench is there. The command only schedules the
   * reload: the old page keeps answering selectors until the navigation starts (under load, seconds later), so
   * a wait for `.monaco-workbench` alone matched the old page, and the next actions ran on a page about to go.
   */
  async reloadWindow(timeout = TIMEOUT.long): Promise<void> {
    const loaded = this.page.waitForEvent('load', { timeout });
    try {
      await this.runCommand('Developer: Reload Window');
    } catch (err) {
      loaded.catch(() => undefined);
      throw err;
    }
    await loaded;
    await this.page.waitForSelector(sel.workbench, { timeout });
  }

  /**
   * What the panel drew, read from vega's scenegraph after every chart settled: per chart, the instances of
   * each named mark (a line mark has one per series) and their items (points of a path, heatmap cells), plus
   * how many canvas pixels differ from the top-left pixel (so "drawn" means pixels, not only a scenegraph).
   */
  async panelDrawing(
    frame: Frame,
    charts: string[],
  ): Promise<Record<string, { marks: Record<string, { instances: number; items: number }>; inkedPixels: number }>> {
    await frame.evaluate('window.nnlab.settled()');
    return frame.evaluate(`(async () => {
      const out = {};
      for (const name of ${JSON.stringify(charts)}) {
        const view = window.nnlab.chart(name);
        if (!view) { out[name] = { marks: {}, inkedPixels: 0 }; continue; }
        const marks = {};
        const visit = (node) => {
          if (node.marktype && node.name && node.name.endsWith('_marks')) {
            const key = node.name.slice(0, -6);
            marks[key] = marks[key] || { instances: 0, items: 0 };
            marks[key].instances++;
            marks[key].items += (node.items || []).length;
          }
          for (const child of node.items || []) visit(child);
        };
        visit(view.scenegraph().root);
        const canvas = view.container() && view.container().querySelector('canvas');
        let inked = 0;
        if (canvas) {
          const ctx = canvas.getContext('2d');
          const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
          for (let i = 0; i < data.length; i += 4) {
            if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2] || data[i + 3] !== data[3]) inked++;
          }
        }
        out[name] = { marks, inkedPixels: inked };
      }
      return out;
    })()`);
  }

  /**
   * The polylines a chart drew, read from vega's scenegraph after every chart settled: one entry per instance of
   * a `line` mark (a line with a `detail` encoding has one instance per group, e.g. per sweep trial), with its
   * mark's name, its points, the stroke it is drawn with (vega strokes a path with its first item's style), and
   * that item's datum.
   */
  async panelLines(
    frame: Frame,
    chart: string,
  ): Promise<
    Array<{
      mark: string;
      points: number;
      stroke: string | null;
      strokeWidth: number | null;
      datum: Record<string, unknown> | null;
    }>
  > {
    await frame.evaluate('window.nnlab.settled()');
    return frame.evaluate(`(() => {
      const view = window.nnlab.chart(${JSON.stringify(chart)});
      if (!view) return [];
      const lines = [];
      const visit = (node) => {
        if (node.marktype === 'line' && node.name && node.name.endsWith('_marks') && (node.items || []).length) {
          const first = node.items[0];
          lines.push({
            mark: node.name.slice(0, -6),
            points: node.items.length,
            stroke: first.stroke == null ? null : String(first.stroke),
            strokeWidth: typeof first.strokeWidth === 'number' ? first.strokeWidth : null,
            datum: first.datum ? JSON.parse(JSON.stringify(first.datum)) : null,
          });
          return;
        }
        for (const child of node.items || []) visit(child);
      };
      visit(view.scenegraph().root);
      return lines;
    })()`);
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator(sel.notificationMessage, { hasText: text });
  }

  /**
   * Text of every visible editor line plus its after-line decorations, as the user sees them. The script is a
   * string because this project's host code is compiled without the DOM lib.
   */
  async editorText(): Promise<string> {
    return this.page.evaluate(`Array.from(document.querySelectorAll('.monaco-editor .view-line')).map((line) => {
      const parts = [line.textContent || ''];
      for (const span of Array.from(line.querySelectorAll('span'))) {
        const content = getComputedStyle(span, '::after').content;
        if (content && content !== 'none' && content !== 'normal') parts.push(content.replace(/^"|"$/g, ''));
      }
      return parts.join(' ');
    }).join('\\n')`);
  }

  /** Places the cursor on the first occurrence of `text` in the active editor (Ctrl+F, then Escape). */
  async goToText(text: string): Promise<void> {
    await this.page.keyboard.press('Control+F');
    const find = this.page.locator('.find-widget textarea, .find-widget input').first();
    await find.waitFor({ timeout: TIMEOUT.short });
    await find.fill(text);
    await this.page
      .locator('.find-widget .matchesCount:not(:has-text("No results"))')
      .waitFor({ timeout: TIMEOUT.short });
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Escape');
  }

  /**
   * Clicks the code lens `text` that sits above the editor line containing `lineText` (lenses live in view
   * zones, so they are matched to lines by position: the closest lens above the line). Lenses and lines move
   * while the server's lenses and diagnostics arrive, so positions are read until two reads 150 ms apart agree
   * and show a lens above the line, and the click goes to the chosen lens's position. Returns the clicked lens's
   * title (e.g. a sweep's `▶ Run sweep (6 trials)`).
   */
  async clickLensAbove(text: string, lineText: string): Promise<string> {
    await this.waitForLens(text);
    const line = this.page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
    await line.waitFor({ timeout: TIMEOUT.short });
    const lenses = this.lens(text);
    const measure = async () => {
      const boxes = [];
      const texts = [];
      for (let i = 0; i < (await lenses.count()); i++) {
        boxes.push(await lenses.nth(i).boundingBox());
        texts.push((await lenses.nth(i).innerText()).trim());
      }
      return { line: await line.boundingBox(), boxes, texts };
    };
    // While the server refreshes them, the lenses can be gone for a moment (seen: two reads with none), so
    // a stable layout also needs a lens above the line.
    const above = (l: Awaited<ReturnType<typeof measure>>) =>
      !!l.line && l.boxes.some((box) => box && box.y < l.line!.y);
    let layout = await measure();
    const deadline = Date.now() + TIMEOUT.short;
    for (;;) {
      await this.page.waitForTimeout(150); // the interval between two layout reads
      const next = await measure();
      const stable = JSON.stringify(next) === JSON.stringify(layout) && above(next);
      layout = next;
      if (stable || Date.now() > deadline) break;
    }
    const lineBox = layout.line;
    if (!lineBox) throw new Error(`line "${lineText}" is not visible`);
    let best: { x: number; y: number; width: number; height: number } | undefined;
    let title = '';
    for (const [i, box] of layout.boxes.entries()) {
      if (box && box.y < lineBox.y && (!best || box.y > best.y)) {
        best = box;
        title = layout.texts[i]!;
      }
    }
    if (!best)
      throw new Error(`no "${text}" lens above "${lineText}"; lenses: ${(await this.lensTexts()).join(' | ')}`);
    await this.page.mouse.click(best.x + best.width / 2, best.y + best.height / 2);
    return title;
  }

  /**
   * Screenshot once CSS transitions have finished (a toast fades in; without this it is caught half
   * transparent). Waits at most 2 s for the animations, then takes the picture anyway.
   */
  async screenshot(path: string): Promise<void> {
    const deadline = Date.now() + 2_000;
    const running = `document.getAnimations().filter((a) => a.playState === 'running' && isFinite(a.effect?.getTiming().iterations ?? 1)).length`;
    while (Date.now() < deadline && Number(await this.page.evaluate(running).catch(() => 0)) > 0)
      await this.page.waitForTimeout(50); // poll interval
    await this.page.screenshot({ path });
  }
}
