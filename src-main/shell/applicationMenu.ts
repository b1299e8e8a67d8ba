// The application menu of an installed app. Electron's default menu offers View → Reload and
// Toggle Developer Tools (Ctrl+Shift+I); in a shipped build a console is an invitation to "paste
// this here" tricks against the bridge, and a reload loses the page's state. Development keeps
// the default menu, with both.
//
// Runtime: main (shell).
import { app, Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

/**
 * macOS: an app without a menu has no Quit and no Cmd+C / Cmd+V (they are the Edit menu's
 * accelerators), so it gets the app menu, Edit and Window, built from roles only.
 * Windows and Linux: copy and paste work in text fields without a menu, so there is none;
 * `Menu.setApplicationMenu(null)` also removes the menu bar and the default menu's shortcuts
 * (Electron Menu docs).
 */
export function packagedMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [
    {
      // macOS shows the app's name as the first menu's title whatever the label says.
      label: 'Localpost',
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'pasteAndMatchStyle' },
        { role: 'delete' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'Window',
      submenu: [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }, { type: 'separator' }, { role: 'front' }],
    },
  ];
}

/** Replaces Electron's default menu in an installed app; leaves it in development. */
export function installApplicationMenu(
  options: { packaged: boolean; platform: NodeJS.Platform } = { packaged: app.isPackaged, platform: process.platform },
): void {
  if (!options.packaged) return;
  const template = packagedMenuTemplate(options.platform);
  Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null);
}
