// The small menu that opens from a sender's name: whisper to them, mute or unmute them.
// Keyboard: arrows move, Enter or Space picks, Escape or Tab closes and returns to the name.

export class SenderMenu {
  constructor(element) {
    this.element = element;
    this.opener = null;
    element.addEventListener('keydown', (e) => this.onKey(e));
    document.addEventListener('pointerdown', (e) => {
      if (!this.element.hidden && !this.element.contains(e.target) && e.target !== this.opener) this.close(false);
    });
    window.addEventListener('resize', () => this.close(false));
  }

  // items: [{ label, action }]
  open(opener, title, items) {
    if (this.opener === opener && !this.element.hidden) return this.close(true);
    this.opener = opener;
    opener.setAttribute('aria-expanded', 'true');
    const heading = document.createElement('p');
    heading.className = 'menu-title';
    heading.textContent = title;
    heading.setAttribute('role', 'presentation');
    const buttons = items.map(({ label, action }) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'menuitem');
      button.tabIndex = -1;
      button.textContent = label;
      button.addEventListener('click', () => {
        this.close(false);
        action();
      });
      return button;
    });
    this.element.replaceChildren(heading, ...buttons);
    this.element.hidden = false;
    this.place(opener);
    buttons[0]?.focus();
  }

  place(opener) {
    const r = opener.getBoundingClientRect();
    const menu = this.element.getBoundingClientRect();
    const left = Math.min(Math.max(8, r.left), window.innerWidth - menu.width - 8);
    const below = r.bottom + 4;
    const top = below + menu.height > window.innerHeight - 8 ? Math.max(8, r.top - menu.height - 4) : below;
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }

  close(returnFocus) {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.opener?.setAttribute('aria-expanded', 'false');
    if (returnFocus) this.opener?.focus();
    this.opener = null;
  }

  onKey(e) {
    const items = [...this.element.querySelectorAll('[role="menuitem"]')];
    const at = items.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      items[(at + step + items.length) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.close(true);
    } else if (e.key === 'Tab') {
      e.preventDefault();
      this.close(true);
    }
  }
}
