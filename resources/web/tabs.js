// Channel tabs above the log ("All" first), following the WAI-ARIA tabs pattern: one tab in
// the Tab order, arrows / Home / End move between tabs and select as they go. A tab that is
// not shown counts the messages that arrived in it.

import { channelLabel } from './text.js';

export class Tabs {
  // onSelect(tab): tab is 'all' or a channel name
  constructor(element, panel, onSelect) {
    this.element = element;
    this.panel = panel;
    this.onSelect = onSelect;
    this.selected = 'all';
    this.unread = new Map();
    element.addEventListener('keydown', (e) => this.onKey(e));
  }

  setTabs(tabs) {
    const names = ['all', ...tabs];
    if (!names.includes(this.selected)) this.selected = 'all';
    this.element.replaceChildren(...names.map((name) => this.makeTab(name)));
    this.refresh();
  }

  has(tab) {
    return Boolean(this.element.querySelector(`[data-tab="${CSS.escape(tab)}"]`));
  }

  add(tab) {
    if (!this.has(tab)) {
      this.element.append(this.makeTab(tab));
      this.refresh();
    }
  }

  makeTab(name) {
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('role', 'tab');
    button.id = `tab-${name}`;
    button.dataset.tab = name;
    button.setAttribute('aria-controls', this.panel.id);
    const label = document.createElement('span');
    label.textContent = name === 'all' ? 'All' : channelLabel(name);
    const badge = document.createElement('span');
    badge.className = 'badge';
    button.append(label, badge);
    button.addEventListener('click', () => this.select(name));
    return button;
  }

  select(name, focus = false) {
    this.selected = name;
    this.unread.delete(name);
    this.refresh();
    const tab = this.element.querySelector(`[data-tab="${CSS.escape(name)}"]`);
    if (focus) tab?.focus();
    tab?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    this.onSelect(name);
  }

  // A live message arrived for `tab`; it counts unless the player is looking at it.
  arrived(tab) {
    if (this.selected === 'all' || this.selected === tab) return;
    this.unread.set(tab, (this.unread.get(tab) || 0) + 1);
    this.refresh();
  }

  refresh() {
    for (const tab of this.element.querySelectorAll('[role="tab"]')) {
      const name = tab.dataset.tab;
      const selected = name === this.selected;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const count = this.unread.get(name) || 0;
      const badge = tab.querySelector('.badge');
      badge.textContent = count ? String(count > 99 ? '99+' : count) : '';
      badge.hidden = !count;
      tab.setAttribute('aria-label', count ? `${tab.firstChild.textContent}, ${count} new` : tab.firstChild.textContent);
    }
    this.panel.setAttribute('aria-labelledby', `tab-${this.selected}`);
  }

  onKey(e) {
    const tabs = [...this.element.querySelectorAll('[role="tab"]')];
    const at = tabs.indexOf(document.activeElement);
    if (at < 0) return;
    let next = -1;
    if (e.key === 'ArrowRight') next = (at + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (at - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    this.select(tabs[next].dataset.tab, true);
  }
}
