/**
 * The browser harness: serves the built bundle and the panel's own HTML (src/charts/panelHtml.ts, so the
 * page enforces exactly the panel's CSP) from 127.0.0.1, and opens it in Debian's Chromium with an
 * acquireVsCodeApi stub that records postMessage and setState. CSP violations are recorded too.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { panelHtml } from '../../src/charts/panelHtml';

/** The repository root, from out/test/webview (the tests) or dist (bench/render.bench.ts). */
function repositoryRoot(dir: string): string {
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const root = repositoryRoot(__dirname);
export const NONCE = 'dGVzdG5vbmNlMTIzNDU2';

export interface OpenOptions {
  saved?: unknown;
  theme?: 'light' | 'dark';
  /**
   * Answer `ready` with these messages from inside the page, wait for the charts, then try Function() and log the
   * outcome as `nnlab:probe {json}`. Nothing of Playwright runs in the page meanwhile: a DevTools evaluation
   * (page.evaluate, waitForFunction) lifts the page's eval restriction, so only this path proves that the charts
   * draw while the CSP forbids eval.
   */
  probe?: unknown[];
}

/** What the in-page probe saw. */
export interface Probe {
  violationsBeforeProbe: string[];
  evalOutcome: string;
  curves: number;
  cells: number;
}

export interface Harness {
  browser: Browser;
  origin: string;
  /** A fresh panel page; `saved` is what getState returns (a restored panel). */
  open(options?: OpenOptions): Promise<Page>;
  close(): Promise<void>;
}

const probes = new WeakMap<Page, Promise<Probe>>();

/** The probe result of a page opened with `probe`. */
export function probeResult(page: Page): Promise<Probe> {
  const result = probes.get(page);
  if (!result) throw new Error('the page was not opened with a probe');
  return result;
}

const TYPES: Record<string, string> = { js: 'text/javascript', css: 'text/css', html: 'text/html' };

export async function startHarness(): Promise<Harness> {
  // The same browser the e2e runner launches (scripts/e2e/lib.mjs CHROMIUM). Checked before anything listens, so a
  // machine without it fails every test at once instead of each waiting out its timeout on an open server.
  const executablePath = process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}: run \`npm run provision -- debian\` (Debian's chromium) or set NNLAB_CHROMIUM`,
    );
  }
  const files: Record<string, string> = {
    '/webview.js': readFileSync(join(root, 'dist', 'webview.js'), 'utf8'),
    '/webview.css': readFileSync(join(root, 'dist', 'webview.css'), 'utf8'),
  };
  const server: Server = createServer((req, res) => {
    const body = req.url === '/' ? files['/index.html'] : files[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const ext = req.url === '/' ? 'html' : (req.url ?? '').split('.').pop()!;
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  files['/index.html'] = panelHtml({
    scriptUri: `${origin}/webview.js`,
    styleUri: `${origin}/webview.css`,
    cspSource: origin,
    nonce: NONCE,
  });

  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      timeout: 30_000,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  } catch (error) {
    server.close();
    throw new Error(`Chromium at ${executablePath} did not start: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  return {
    browser,
    origin,
    async open(options = {}) {
      const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
      // Init scripts run before the page's own and are exempt from its CSP, like VS Code's injected host script.
      await page.addInitScript(
        ({ saved, dark, probe }) => {
          const w = window as unknown as Record<string, unknown>;
          const record = { posted: [] as unknown[], saved: [] as unknown[], violations: [] as string[] };
          w.__host = record;
          let state = saved;
          w.acquireVsCodeApi = () => ({
            postMessage: (m: unknown) => {
              record.posted.push(m);
              if (probe && (m as { type?: string }).type === 'ready') setTimeout(() => void runProbe(probe), 0);
            },
            getState: () => state,
            setState: (s: unknown) => {
              state = s;
              record.saved.push(JSON.parse(JSON.stringify(s)));
            },
          });
          type Node = { marktype?: string; name?: string; items?: Node[] };
          const count = (root: Node, name: string, instances: boolean): number => {
            const named =
              root.name === `${name}_marks` || new RegExp(`^${name}_\\d+(_(train|test))?_marks$`).test(root.name ?? '');
            if (root.marktype && named)
              return instances ? ((root.items ?? []).length ? 1 : 0) : (root.items ?? []).length;
            return (root.items ?? []).reduce((n, child) => n + count(child, name, instances), 0);
          };
          const runProbe = async (messages: unknown[]) => {
            for (const data of messages) window.dispatchEvent(new MessageEvent('message', { data }));
            type Hooks = { settled(): Promise<void>; chart(n: string): { scenegraph(): { root: Node } } | undefined };
            const hooks = w.nnlab as Hooks;
            await hooks.settled();
            const violationsBeforeProbe = [...record.violations];
            let evalOutcome: string;
            try {
              evalOutcome = String(new Function('return "evaluated"')());
            } catch (error) {
              evalOutcome = (error as Error).name;
            }
            const root = (name: string) => hooks.chart(name)?.scenegraph().root ?? {};
            const result = {
              violationsBeforeProbe,
              evalOutcome,
              curves: count(root('cost'), 'curves', true),
              cells: count(root('boundary'), 'cells', false),
            };
            console.log(`nnlab:probe ${JSON.stringify(result)}`);
          };
          document.addEventListener('securitypolicyviolation', (e) =>
            record.violations.push(`${e.violatedDirective}: ${e.blockedURI}`),
          );
          // VS Code puts the theme's variables on <html> and its kind on <body>; <html> exists only once parsing starts.
          const vars = dark
            ? { fg: '#cccccc', bg: '#1f1f1f', border: '#3c3c3c', fail: '#f14c4c' }
            : { fg: '#3b3b3b', bg: '#ffffff', border: '#e5e5e5', fail: '#e51400' };
          const applyTheme = () => {
            const html = document.documentElement.style;
            html.setProperty('--vscode-editor-foreground', vars.fg);
            html.setProperty('--vscode-editor-background', vars.bg);
            html.setProperty('--vscode-panel-border', vars.border);
            html.setProperty('--vscode-testing-iconFailed', vars.fail);
            document.body.classList.add(dark ? 'vscode-dark' : 'vscode-light');
          };
          // As soon as <body> exists, before the bundle at its end runs.
          const waitForBody = new MutationObserver(() => {
            if (!document.body) return;
            waitForBody.disconnect();
            applyTheme();
          });
          waitForBody.observe(document, { childList: true, subtree: true });
        },
        {
          saved: options.saved,
          dark: options.theme === 'dark',
          probe: options.probe ? (JSON.parse(JSON.stringify(options.probe)) as unknown[]) : null,
        },
      );
      if (options.probe) {
        const logged = page.waitForEvent('console', {
          predicate: (m) => m.text().startsWith('nnlab:probe '),
          timeout: 30000,
        });
        await page.goto(`${origin}/`);
        probes.set(
          page,
          logged.then((m) => JSON.parse(m.text().slice('nnlab:probe '.length)) as Probe),
        );
        return page;
      }
      await page.goto(`${origin}/`);
      await page.waitForFunction(() =>
        (window as unknown as { __host: { posted: Array<{ type: string }> } }).__host.posted.some(
          (m) => m.type === 'ready',
        ),
      );
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Posts host messages to the page the way VS Code does (a window message event with the data). */
export async function post(page: Page, ...messages: unknown[]): Promise<void> {
  await page.evaluate(
    (ms) => {
      for (const data of ms) window.dispatchEvent(new MessageEvent('message', { data }));
    },
    JSON.parse(JSON.stringify(messages)) as unknown[],
  );
}

/** Waits until every chart the panel started drawing has drawn. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { nnlab: { settled(): Promise<void> } }).nnlab.settled());
}

export interface ItemFilter {
  /** Compare item[key] (e.g. fill) or item.datum[key]. */
  on: 'item' | 'datum';
  key: string;
  equals: unknown;
}

/**
 * Counts the drawn items of a named mark (vega-lite `name: n` → vega mark `n_marks`) in a chart's view, summed
 * over every instance (a line mark has one instance per series, and one item per point of its path).
 */
export async function countItems(page: Page, chart: string, mark: string, filter?: ItemFilter): Promise<number> {
  return page.evaluate(
    ({ chart, mark, filter }) => {
      type Node = { marktype?: string; name?: string; items?: Node[]; datum?: Record<string, unknown> } & Record<
        string,
        unknown
      >;
      const view = (
        window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } | undefined } }
      ).nnlab.chart(chart);
      if (!view) return -1;
      let count = 0;
      const visit = (node: Node) => {
        // `curves` also matches the per-series marks curves_<run>_<series>_marks.
        const named =
          node.name === `${mark}_marks` || new RegExp(`^${mark}_\\d+(_(train|test))?_marks$`).test(node.name ?? '');
        if (node.marktype && named) {
          for (const item of node.items ?? []) {
            if (!filter) count++;
            else if ((filter.on === 'item' ? item[filter.key] : item.datum?.[filter.key]) === filter.equals) count++;
          }
          return;
        }
        for (const child of node.items ?? []) visit(child);
      };
      visit(view.scenegraph().root);
      return count;
    },
    { chart, mark, filter },
  );
}

/** How many instances a named mark has (a line mark has one per series). */
export async function countMarks(page: Page, chart: string, mark: string): Promise<number> {
  return page.evaluate(
    ({ chart, mark }) => {
      type Node = { marktype?: string; name?: string; items?: Node[] };
      const view = (
        window as unknown as { nnlab: { chart(n: string): { scenegraph(): { root: Node } } | undefined } }
      ).nnlab.chart(chart);
      if (!view) return -1;
      let count = 0;
      const visit = (node: Node) => {
        const named =
          node.name === `${mark}_marks` || new RegExp(`^${mark}_\\d+(_(train|test))?_marks$`).test(node.name ?? '');
        if (node.marktype && named && (node.items?.length ?? 0) > 0) count++;
        for (const child of node.items ?? []) visit(child);
      };
      visit(view.scenegraph().root);
      return count;
    },
    { chart, mark },
  );
}

export interface HostRecord {
  posted: Array<{ type: string; message?: string; view?: string }>;
  saved: unknown[];
  violations: string[];
}

export function hostRecord(page: Page): Promise<HostRecord> {
  return page.evaluate(() => (window as unknown as { __host: HostRecord }).__host);
}
