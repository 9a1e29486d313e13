// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so names and notes
// typed by users cannot inject markup.

export const $ = (selector, root = document) => root.querySelector(selector);

/** el('td', { class: 'number', text: '12' }, child, …) */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

let statusTimer;

/** A polite message for screen readers and sighted users alike (role=status). */
export function announce(text) {
  const region = $('#status-message');
  clearTimeout(statusTimer);
  // re-setting the same text would not be read out again
  region.textContent = '';
  requestAnimationFrame(() => {
    region.textContent = text;
  });
  statusTimer = setTimeout(() => {
    region.textContent = '';
  }, 8000);
}

export function showError(text) {
  $('#error-text').textContent = text;
  $('#error-message').hidden = false;
}

export function hideError() {
  $('#error-message').hidden = true;
  $('#error-text').textContent = '';
}

/** One table row spanning every column, for "nothing here" and "loading". */
export function messageRow(columns, text) {
  return el('tr', {}, el('td', { class: 'empty', colspan: columns, text }));
}
