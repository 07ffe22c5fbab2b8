/**
 * Accessible tabs (WAI-ARIA tabs pattern): click or arrow keys move between tabs; only the
 * selected tab is in the tab order; its panel is the only one shown.
 */

/** Wire every `[role=tab]` inside `list` to the panel its `aria-controls` names. */
export function setupTabs(list: HTMLElement, onChange?: (panelId: string) => void): void {
  const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement, focus: boolean): void => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')!)!.hidden = !selected;
    }
    if (focus) tab.focus();
    onChange?.(tab.getAttribute('aria-controls')!);
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      const target = event.key === 'Home' ? tabs[0] : event.key === 'End' ? tabs.at(-1) : step ? tabs[(i + step + tabs.length) % tabs.length] : undefined;
      if (!target) return;
      event.preventDefault();
      select(target, true);
    });
  });
}
