// Regenerates schemas/nnlab.schema.json and the key reference in docs/experiment-files.md from
// src/core/experiment/schema.ts. A unit test (test/unit/experiment-schema.test.ts) fails when they are stale.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nnlab-schema-'));
const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `export { experimentFileJsonSchemaText } from ${JSON.stringify(join(root, 'src/core/experiment/jsonSchema.ts'))};\n` +
    `export { withReference } from ${JSON.stringify(join(root, 'scripts/experiment-docs.ts'))};\n`,
);
try {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: join(dir, 'out.cjs'),
    logLevel: 'warning',
  });
  const gen = createRequire(import.meta.url)(join(dir, 'out.cjs'));
  writeFileSync(join(root, 'schemas/nnlab.schema.json'), gen.experimentFileJsonSchemaText());
  const docPath = join(root, 'docs/experiment-files.md');
  writeFileSync(docPath, gen.withReference(readFileSync(docPath, 'utf8')));
  console.log('wrote schemas/nnlab.schema.json and the key reference in docs/experiment-files.md');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
