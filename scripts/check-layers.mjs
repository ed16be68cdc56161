// `node scripts/check-layers.mjs [--root DIR]`: the layer rules of docs/ARCHITECTURE.md, checked from the code's own
// import statements, so that a layer edge nobody allowed fails `npm run typecheck` (and so CI) instead of waiting for
// a reviewer. Prints one line per violation (file:line, what it imports, what that layer may import); exit 1 if any.
// `--edges` prints the import edges by layer instead (a Markdown table).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * What each layer may import: other layers (by name), Node built-ins ('node'), and npm packages (by name or prefix).
 * `import type` of a package is free (it leaves no code behind); `import type` of another layer is still an edge.
 */
export const RULES = {
  core: { layers: ['core'], node: false, packages: ['jsonc-parser'] },
  protocol: { layers: ['protocol', 'core'], node: false, packages: [] },
  charts: { layers: ['charts', 'protocol', 'core'], node: false, packages: [] },
  node: {
    layers: ['node', 'charts', 'protocol', 'core'],
    node: true,
    packages: ['vega', 'vega-lite', 'vega-interpreter'],
  },
  runner: { layers: ['runner', 'node', 'charts', 'protocol', 'core'], node: true, packages: [] },
  worker: { layers: ['worker', 'runner', 'node', 'protocol', 'core'], node: true, packages: [] },
  server: {
    layers: ['server', 'node', 'protocol', 'core'],
    node: true,
    packages: ['vscode-languageserver', 'vscode-languageserver-textdocument', 'jsonc-parser'],
  },
  cli: { layers: ['cli', 'runner', 'node', 'charts', 'protocol', 'core'], node: true, packages: [] },
  extension: {
    layers: ['extension', 'runner', 'node', 'charts', 'protocol', 'core'],
    node: true,
    packages: ['vscode', 'vscode-languageclient', '@vscode/python-extension'],
  },
  webview: {
    layers: ['webview', 'protocol', 'charts'],
    node: false,
    packages: ['vega', 'vega-lite', 'vega-embed', 'vega-interpreter'],
  },
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The layer a repository-relative path belongs to, or undefined outside the checked tree. */
export function layerOf(path) {
  const parts = path.split('/');
  if (parts[0] === 'webview') return 'webview';
  if (parts[0] !== 'src' || !(parts[1] in RULES)) return undefined;
  return parts[1];
}

const covers = (allowed, layer) => allowed.includes(layer);
const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/** Every import of a source text: static, re-export, dynamic import() and require(), with its line and type-only flag. */
export function importsOf(text) {
  const found = [];
  const patterns = [
    /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const [i, re] of patterns.entries()) {
    for (const m of text.matchAll(re)) {
      const spec = i === 0 ? m[3] : m[1];
      const typeOnly = i === 0 && Boolean(m[2]);
      found.push({
        spec,
        typeOnly,
        line: text.slice(0, m.index).split('\n').length + (i === 0 ? m[0].match(/^\s*/)[0].split('\n').length - 1 : 0),
      });
    }
  }
  return found;
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield full;
  }
}

/**
 * Every import of the checked tree: the importing file's path and layer, where the import is, and what it reaches:
 * `{ layer }` (another file of the tree), `{ node }` (a Node built-in), `{ package, typeOnly }`, or `{ outside }`.
 */
function* importEdges(root) {
  for (const top of ['src', 'webview']) {
    let files;
    try {
      files = [...sourceFiles(join(root, top))];
    } catch {
      continue;
    }
    for (const file of files) {
      const path = relative(root, file).split(sep).join('/');
      const layer = layerOf(path);
      if (!layer) continue;
      for (const { spec, typeOnly, line } of importsOf(readFileSync(file, 'utf8'))) {
        const from = { path, layer, line, spec };
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec))
            .split(sep)
            .join('/');
          const targetLayer = layerOf(target);
          if (targetLayer) yield { ...from, to: { layer: targetLayer } };
          // package.json (the version) and files above the root are not layered code.
          else if (!target.startsWith('package.json') && !target.startsWith('..'))
            yield { ...from, to: { outside: true } };
        } else if (NODE_BUILTINS.has(spec)) yield { ...from, to: { node: true } };
        else yield { ...from, to: { package: packageName(spec), typeOnly } };
      }
    }
  }
}

/** Checks the tree under `root`; returns violation lines. */
export function checkLayers(root) {
  const violations = [];
  for (const { path, layer, line, spec, to } of importEdges(root)) {
    const rule = RULES[layer];
    const where = `${path}:${line}`;
    if (to.outside) violations.push(`${where} imports ${spec}, outside every layer`);
    else if (to.layer) {
      if (!covers(rule.layers, to.layer))
        violations.push(`${where} imports ${spec} (layer ${to.layer}); ${layer} may import ${rule.layers.join(', ')}`);
    } else if (to.node) {
      if (!rule.node) violations.push(`${where} imports the Node built-in ${spec}; ${layer} must run without Node`);
    } else if (
      !to.typeOnly &&
      !rule.packages.some((p) => to.package === p || to.package.startsWith(`${p}/`) || spec.startsWith(`${p}/`))
    ) {
      violations.push(
        `${where} imports the package ${spec}; ${layer} may import ${rule.packages.join(', ') || 'no package'}`,
      );
    }
  }
  return violations;
}

/**
 * The import edges by layer as a Markdown table: one row per importing layer, one column per layer imported, then
 * Node built-ins, then the packages imported at run time; each number counts import statements.
 */
export function edgeTable(root) {
  const counts = new Map();
  const packages = new Map();
  const targets = new Set();
  const bump = (map, layer, key) => {
    const row = map.get(layer) ?? new Map();
    row.set(key, (row.get(key) ?? 0) + 1);
    map.set(layer, row);
  };
  for (const { layer, to } of importEdges(root)) {
    if (to.package !== undefined) {
      if (!to.typeOnly) bump(packages, layer, to.package);
      continue;
    }
    const target = to.layer ?? (to.node ? 'Node built-ins' : 'outside');
    targets.add(target);
    bump(counts, layer, target);
  }
  const order = ['core', 'protocol', 'charts', 'node', 'runner', 'worker', 'server', 'cli', 'extension', 'webview'];
  const rank = (t) => (order.includes(t) ? order.indexOf(t) : t === 'Node built-ins' ? order.length : order.length + 1);
  const columns = [...targets].sort((a, b) => rank(a) - rank(b));
  const lines = [
    `| from \\ to | ${columns.join(' | ')} | packages (run time) |`,
    `|---|${columns.map(() => '---:').join('|')}|---|`,
  ];
  for (const l of order.filter((o) => counts.has(o) || packages.has(o))) {
    const pkgs = [...(packages.get(l) ?? new Map())].map(([name, n]) => `${name} ${n}`).join(', ');
    lines.push(`| ${l} | ${columns.map((c) => counts.get(l)?.get(c) ?? '').join(' | ')} | ${pkgs} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--root');
  const root = at > 0 ? resolve(process.argv[at + 1]) : new URL('..', import.meta.url).pathname;
  if (process.argv.includes('--edges')) {
    console.log(edgeTable(root));
    process.exit(0);
  }
  const violations = checkLayers(root);
  for (const v of violations) console.error(`layers: ${v}`);
  if (violations.length) {
    console.error(
      `layers: ${violations.length} import(s) break the layer rules (scripts/check-layers.mjs, docs/ARCHITECTURE.md)`,
    );
    process.exit(1);
  }
  console.log('layers: every import follows the layer rules');
}
