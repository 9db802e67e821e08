// The colour theme: "system" (follow prefers-color-scheme), "light" or "dark", chosen in the
// sidebar and kept in localStorage. The choice is applied as `data-theme` on <html>, which the
// stylesheet reads; canvas painters ask `isDarkTheme()`. Must not touch anything but the theme.

import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'argo-theme';
const EVENT = 'argo-theme-change';

function storage(): Storage | undefined {
  try {
    return typeof window !== 'undefined' ? window.localStorage : undefined;
  } catch {
    return undefined;
  }
}

export function getThemeChoice(): ThemeChoice {
  const stored = storage()?.getItem(KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

function systemPrefersDark(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function isDarkTheme(choice: ThemeChoice = getThemeChoice()): boolean {
  return choice === 'dark' || (choice === 'system' && systemPrefersDark());
}

/** Puts the choice on <html> (the stylesheet keys off `data-theme`). */
export function applyTheme(choice: ThemeChoice = getThemeChoice()): void {
  if (typeof document === 'undefined') return;
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

export function setThemeChoice(choice: ThemeChoice): void {
  if (choice === 'system') storage()?.removeItem(KEY);
  else storage()?.setItem(KEY, choice);
  applyTheme(choice);
  window.dispatchEvent(new Event(EVENT));
}

/** Whether the page is dark now; re-renders when the choice or the system preference changes. */
export function useDarkTheme(): boolean {
  const [dark, setDark] = useState(isDarkTheme);
  useEffect(() => {
    const update = () => setDark(isDarkTheme());
    window.addEventListener(EVENT, update);
    const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
    media?.addEventListener?.('change', update);
    return () => {
      window.removeEventListener(EVENT, update);
      media?.removeEventListener?.('change', update);
    };
  }, []);
  return dark;
}

/** The sidebar's theme picker. */
export function ThemePicker() {
  const [choice, setChoice] = useState(getThemeChoice);
  return (
    <label className="theme-picker">
      Theme
      <select
        value={choice}
        onChange={(e) => {
          const next = e.target.value as ThemeChoice;
          setChoice(next);
          setThemeChoice(next);
        }}
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
