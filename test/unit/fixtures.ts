/** Test helper: reads a committed JSON fixture from test/fixtures (tests run bundled from out/test/unit). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const fixturesDir = resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as T;
}
