import { useEffect, useState } from "preact/hooks";

const query = () => window.matchMedia?.("(prefers-color-scheme: dark)");

/** True while the system prefers a dark colour scheme (the page follows it through CSS). */
export function useDarkMode(): boolean {
  const [dark, setDark] = useState(() => query()?.matches ?? false);
  useEffect(() => {
    const q = query();
    if (!q) return;
    const on = () => setDark(q.matches);
    q.addEventListener("change", on);
    return () => q.removeEventListener("change", on);
  }, []);
  return dark;
}

/** The page's current text colour (for canvas-drawn charts, which cannot use currentColor). */
export function textColor(): string {
  return getComputedStyle(document.body).color || "#1d1d1f";
}
