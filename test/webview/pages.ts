/**
 * A test file's panel pages: one harness started before its tests (with the screenshot folder made), closed after
 * them, and the file fails there if any page it opened reported a Content-Security-Policy violation.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { hostRecord, startHarness, type Harness, type OpenOptions } from './harness';

/** Registers the file's before/after hooks; returns how its tests open a page (see Harness.open). */
export function panelPages(shots: string): (options?: OpenOptions) => Promise<Page> {
  let harness: Harness | undefined;
  const pages: Page[] = [];

  before(async () => {
    mkdirSync(shots, { recursive: true });
    harness = await startHarness();
  });

  after(async () => {
    // Every page of the file, checked once: no CSP violation was reported while the charts drew.
    const violations = (
      await Promise.all(pages.filter((p) => !p.isClosed()).map(async (p) => (await hostRecord(p)).violations))
    ).flat();
    await harness?.close();
    assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
  });

  return async (options) => {
    if (!harness) throw new Error('the harness is not started (open a page from a test, after the before hook)');
    const page = await harness.open(options);
    pages.push(page);
    return page;
  };
}
