import { $ } from './dom.js';

// The page's views (「進捗」「項目の一覧・変更」「シートの取り込み・ダウンロード」): one shows at a
// time, chosen from the menu; the address (#items …) says which, so the browser's back button and a
// bookmark work. A link to a section inside a view (#overdue-section) opens that view first.

const DEFAULT_VIEW = 'progress';
const listeners = [];

function viewNames() {
  return [...document.querySelectorAll('.view[data-view]')].map((view) => view.dataset.view);
}

function viewOfHash(hash) {
  const name = hash.replace(/^#/, '');
  if (!name) return { view: DEFAULT_VIEW };
  if (viewNames().includes(name)) return { view: name };
  const target = document.getElementById(name);
  const view = target?.closest('.view[data-view]');
  if (view) return { view: view.dataset.view, section: target };
  return { view: DEFAULT_VIEW };
}

export function currentView() {
  return document.querySelector('.view[data-view]:not([hidden])')?.dataset.view ?? DEFAULT_VIEW;
}

/** Called with the view's name whenever another view is shown. */
export function onViewShown(listener) {
  listeners.push(listener);
}

export function showView(name, { focus = false, section = null } = {}) {
  const before = currentView();
  for (const view of document.querySelectorAll('.view[data-view]')) view.hidden = view.dataset.view !== name;
  for (const link of document.querySelectorAll('.view-nav a[data-view]')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.body.dataset.view = name;
  if (section) section.scrollIntoView({ block: 'start' });
  else if (focus) {
    // the view's first heading takes focus, so a screen reader announces where we are
    const heading = document.querySelector(`.view[data-view="${name}"] h2`);
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }
  if (before !== name) for (const listener of listeners) listener(name);
}

export function wireViews() {
  addEventListener('hashchange', () => {
    const { view, section } = viewOfHash(location.hash);
    showView(view, { focus: !section, section });
  });
  const { view, section } = viewOfHash(location.hash);
  showView(view, { section });
}

/** Opens a view from code (as the menu would), keeping the address in step. */
export function goToView(name) {
  if (location.hash !== `#${name}`) location.hash = name;
  else showView(name, { focus: true });
}

export const viewLink = (name) => $(`.view-nav a[data-view="${name}"]`);
