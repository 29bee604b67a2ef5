// Tiny DOM helpers. Text always goes in through text nodes: never innerHTML.

/**
 * Creates an element with attributes and children (strings become text nodes).
 * @param {string} tag
 * @param {Record<string, string | boolean | undefined>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** @param {number} at ms since epoch */
export function clock(at) {
  return el('span', { class: 'time' }, new Date(at).toLocaleTimeString([], { hour12: false }));
}

/**
 * Appends `item` to a log list, keeps at most `max` entries, and follows the bottom
 * when the reader was already there.
 * @param {HTMLElement} list
 * @param {HTMLElement} item
 * @param {number} [max]
 */
export function appendLog(list, item, max = 500) {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.querySelector(':scope > .empty')?.remove();
  list.append(item);
  while (list.children.length > max) list.firstElementChild?.remove();
  if (atBottom) list.scrollTop = list.scrollHeight;
}

/** @param {string} id */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node;
}
