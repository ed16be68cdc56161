/** How the CLI prints diagnostics: `FILE:LINE:COL: error: MESSAGE [at PATH]`, the compiler convention editors link. */
import { formatPath, type Diagnostic } from '../core/experiment/diagnostics';

export function formatDiagnostic(file: string, d: Diagnostic): string {
  const at = d.path.length ? ` [at ${formatPath(d.path)}]` : '';
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${at}`;
}
