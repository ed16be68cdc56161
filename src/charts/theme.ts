/**
 * Chart colours. The webview reads them from VS Code's CSS variables (webview/theme.ts); the headless renderer
 * uses LIGHT_THEME. Specs take a ChartTheme and never hard-code a colour, so a theme change is a re-render.
 */
import type { Config } from 'vega-lite';

export interface ChartTheme {
  foreground: string;
  /** Secondary text (axis titles, legends). */
  muted: string;
  background: string;
  grid: string;
  font: string;
  fontSize: number;
  /** One colour per run, in order. */
  series: string[];
  /** One colour per class index. */
  classes: string[];
  pass: string;
  fail: string;
  warn: string;
}

/** VS Code's light-theme chart colours (charts.* defaults), for SVG files written outside the editor. */
export const LIGHT_THEME: ChartTheme = {
  foreground: '#1f1f1f',
  muted: '#616161',
  background: '#ffffff',
  grid: '#e5e5e5',
  font: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  fontSize: 12,
  series: ['#1a85ff', '#d18616', '#388a34', '#652d90', '#e51400', '#bf8803'],
  classes: ['#e51400', '#1a85ff', '#388a34', '#bf8803', '#652d90', '#d18616'],
  pass: '#388a34',
  fail: '#e51400',
  warn: '#bf8803',
};

/** The vega-lite config that applies a theme to axes, legends, titles and headers. */
export function themeConfig(theme: ChartTheme): Config {
  const text = {
    labelColor: theme.foreground,
    titleColor: theme.foreground,
    labelFont: theme.font,
    titleFont: theme.font,
  };
  return {
    background: theme.background,
    font: theme.font,
    // Per-item ARIA descriptions format every datum (≈ half the draw time of a 10⁴-point curve) and only SVG uses
    // them; the invalid-value filters are redundant because the row builders drop non-finite values themselves.
    aria: false,
    mark: { invalid: 'filter' },
    view: { stroke: theme.grid },
    axis: {
      ...text,
      gridColor: theme.grid,
      domainColor: theme.muted,
      tickColor: theme.muted,
      labelFontSize: theme.fontSize - 1,
      titleFontSize: theme.fontSize,
      titleFontWeight: 'normal',
    },
    // Room for labels like "0.75" before any data arrives, so a live chart's axis is not clipped later.
    axisY: { minExtent: 36 },
    legend: { ...text, labelFontSize: theme.fontSize - 1, titleFontSize: theme.fontSize, titleFontWeight: 'normal' },
    header: { ...text, labelFontSize: theme.fontSize, titleFontSize: theme.fontSize },
    title: { color: theme.foreground, font: theme.font, fontSize: theme.fontSize + 1, fontWeight: 'normal' },
    text: { color: theme.foreground, font: theme.font },
  };
}

function parseColor(color: string): [number, number, number] | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c).join('') : hex[1]!.slice(0, 6);
    return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null;
}

/**
 * `a` moved towards `b` by t (0 = a, 1 = b), as #rrggbb. Heatmaps use opaque pre-mixed colours because
 * translucent cells show seams where neighbours' antialiased edges overlap. Unparseable input returns `a`.
 */
export function mix(a: string, b: string, t: number): string {
  const ca = parseColor(a);
  const cb = parseColor(b);
  if (!ca || !cb) return a;
  return `#${ca
    .map((v, i) =>
      Math.round(v + (cb[i]! - v) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
