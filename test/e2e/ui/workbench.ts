// What a user does in the workbench, as small functions over a Playwright page: open a file, run a command from
// the palette, wait for a code lens, reach into a webview. Every wait is a condition with a timeout.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { sel } from './selectors';

export const TIMEOUT = { short: 10_000, medium: 30_000, long: 90_000 };

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens the folder and waits until the explorer lists `expectFile`: the workbench is interactive then. */
  async open(url: string, folder: string, expectFile: string): Promise<void> {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await this.page.waitForSelector(sel.workbench, { timeout: TIMEOUT.medium });
    await this.page.waitForSelector(sel.explorerRow(expectFile), { timeout: TIMEOUT.medium });
  }

  /** Quick Open (Ctrl+P) by file name. */
  async openFile(name: string): Promise<void> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator(sel.quickInput);
    await input.waitFor({ timeout: TIMEOUT.short });
    await input.fill(name);
    await this.page.locator(sel.quickInputRow(name)).first().waitFor({ timeout: TIMEOUT.short });
    await this.page.keyboard.press('Enter');
    await this.page.locator(sel.activeTab(name)).waitFor({ timeout: TIMEOUT.short });
  }

  /** Runs a command by its palette title, e.g. "NN Lab: Compare Experiments". */
  async runCommand(title: string): Promise<void> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.page.locator(sel.quickInput);
    await input.waitFor({ timeout: TIMEOUT.short });
    await input.fill(`>${title}`);
    await this.page.locator(sel.quickInputRow(title)).first().waitFor({ timeout: TIMEOUT.short });
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

  /** The panel's document inside the webview's two iframes. With several webviews, `index` picks one. */
  webview(index = 0): FrameLocator {
    return this.page.frameLocator(sel.webviewOuter).nth(index).frameLocator(sel.webviewInner);
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
    await this.page.locator('.find-widget .matchesCount:not(:has-text("No results"))').waitFor({ timeout: TIMEOUT.short });
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Escape');
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }
}
