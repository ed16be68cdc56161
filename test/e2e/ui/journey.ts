// The user's path through NN Lab in a real VS Code workbench (code-server), as a list of steps. Each step
// asserts what a user would see and leaves a screenshot `NN-name.png`; a failing step is recorded with its
// error and a screenshot, and the journey goes on with the next step. Driven by scripts/e2e/run.mjs.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Workbench } from './workbench';
import { sel } from './selectors';

export interface Server {
  url: string;
  workspace: string;
  stop(): void;
}
export interface JourneyContext {
  browser: Browser;
  startServer(options: { trust: boolean; name: string }): Promise<Server>;
  screenshots: string;
  log(message: string): void;
  step(title: string, ok: boolean, detail?: string): void;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export async function journey(ctx: JourneyContext): Promise<void> {
  let n = 0;
  /** Runs one step; its screenshot is taken whether it passes or fails. */
  const step = async (page: Page, title: string, body: () => Promise<void>): Promise<boolean> => {
    n++;
    const shot = join(ctx.screenshots, `${String(n).padStart(2, '0')}-${title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    try {
      await body();
      await page.screenshot({ path: shot });
      ctx.step(title, true);
      ctx.log(`PASS ${title}`);
      return true;
    } catch (e) {
      await page.screenshot({ path: shot }).catch(() => {});
      const detail = (e as Error).message ?? String(e);
      ctx.step(title, false, detail);
      ctx.log(`FAIL ${title}: ${detail.split('\n')[0]}`);
      return false;
    }
  };

  // --- trusted workspace: the main journey
  const server = await ctx.startServer({ trust: true, name: 'ui' });
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
    });
  } finally {
    await page.close();
    server.stop();
  }
}
