/**
 * The charts' colours from VS Code's theme CSS variables. VS Code sets the variables on <html> and the theme kind
 * as a class on <body> (vscode-light / vscode-dark / vscode-high-contrast[-light]); both change together when the
 * user switches themes, so a class change is the signal to re-read the variables and redraw.
 */
import { LIGHT_THEME, mix, type ChartTheme } from '../src/charts/theme';

const DARK_FALLBACK: ChartTheme = {
  ...LIGHT_THEME,
  foreground: '#cccccc',
  muted: '#9d9d9d',
  background: '#1f1f1f',
  grid: '#3c3c3c',
  series: ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'],
  classes: ['#f14c4c', '#3794ff', '#89d185', '#cca700', '#b180d7', '#d18616'],
  pass: '#89d185',
  fail: '#f14c4c',
  warn: '#cca700',
};

function isDark(): boolean {
  const c = document.body.classList;
  return c.contains('vscode-dark') || (c.contains('vscode-high-contrast') && !c.contains('vscode-high-contrast-light'));
}

/** The theme as the page's CSS variables define it now, falling back per kind where a variable is missing. */
export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const fallback = isDark() ? DARK_FALLBACK : LIGHT_THEME;
  const v = (names: string[], otherwise: string): string => {
    for (const name of names) {
      const value = style.getPropertyValue(name).trim();
      if (value) return value;
    }
    return otherwise;
  };
  const chart = (name: string, otherwise: string) => v([`--vscode-charts-${name}`], otherwise);
  const [blue, orange, green, purple, red, yellow] = [
    chart('blue', fallback.series[0]!),
    chart('orange', fallback.series[1]!),
    chart('green', fallback.series[2]!),
    chart('purple', fallback.series[3]!),
    chart('red', fallback.series[4]!),
    chart('yellow', fallback.series[5]!),
  ];
  const fontSize = Number.parseFloat(v(['--vscode-font-size'], '')) || fallback.fontSize;
  const foreground = v(['--vscode-editor-foreground', '--vscode-foreground'], fallback.foreground);
  const background = v(['--vscode-editor-background'], fallback.background);
  return {
    foreground,
    muted: v(['--vscode-descriptionForeground'], fallback.muted),
    background,
    // High contrast themes define a contrast border; elsewhere a faint mix of text and background reads as a grid.
    grid: v(['--vscode-contrastBorder'], mix(foreground, background, 0.85)),
    font: v(['--vscode-font-family'], fallback.font),
    fontSize,
    series: [blue, orange, green, purple, red, yellow],
    classes: [red, blue, green, yellow, purple, orange],
    pass: v(['--vscode-testing-iconPassed'], green),
    fail: v(['--vscode-testing-iconFailed', '--vscode-errorForeground'], red),
    warn: v(['--vscode-editorWarning-foreground'], yellow),
  };
}

/** Calls `onChange` after the theme kind (body class) or the theme variables (html style) change. */
export function observeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
