/** Tiny DOM builders. Text always goes in through textContent, never innerHTML. */

type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** A chart's box: the section a vega view draws into, named for screen readers. */
export function chartBox(id: string, label: string): HTMLElement {
  return el('section', { class: 'chart', id, 'aria-label': label });
}

/** Removes every child (cheaper to read than a loop at each call site). */
export function clear(node: Element): void {
  node.replaceChildren();
}
