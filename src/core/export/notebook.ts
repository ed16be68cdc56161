/**
 * Export sections as a Jupyter notebook (nbformat 4.5): one markdown cell with each section's title and one code
 * cell with its code, outputs empty, for the python3 kernel. Pure: returns the .ipynb text.
 */
import type { ExportSection } from './numpy';

/** nbformat stores text as a list of lines, each but the last ending in "\n". */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((line) => line !== '');
}

export function notebook(sections: readonly ExportSection[]): string {
  const cells = sections.flatMap((s, i) => [
    { cell_type: 'markdown', id: `section-${i + 1}-title`, metadata: {}, source: lines(s.title) },
    {
      cell_type: 'code',
      execution_count: null,
      id: `section-${i + 1}-code`,
      metadata: {},
      outputs: [],
      source: lines(s.code),
    },
  ]);
  const doc = {
    cells,
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}
