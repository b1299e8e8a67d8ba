// The theme the user chose in Settings → Appearance, put on the root element as data-theme:
// styles/theme.css turns it into color-scheme, which picks every light-dark() colour. 'system'
// (also before the settings are read, as on the unlock screen) leaves it to prefers-color-scheme.
import { useEffect } from 'react';
import { useAppStore } from '../../state/store';

export function useTheme(): void {
  const theme = useAppStore((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}
