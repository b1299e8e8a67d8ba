// Line icons drawn inline, so the app needs no image files and no icon font. All are decorative:
// the text next to each icon is what assistive technology reads.
import type { ReactNode } from 'react';

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const ComposeIcon = () => (
  <Icon>
    <path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4Z" />
    <path d="m13.5 6.5 4 4" />
  </Icon>
);

export const AccountsIcon = () => (
  <Icon>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20a6.5 6.5 0 0 1 13 0" />
    <path d="M16 4.5a3.5 3.5 0 0 1 0 7M18.5 14.5A6.5 6.5 0 0 1 21.5 20" />
  </Icon>
);

/** A page of a calendar: planned posts by day. */
export const CalendarIcon = () => (
  <Icon>
    <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
    <path d="M3.5 10h17M8 3v4M16 3v4" />
  </Icon>
);

/** An in-tray: where posts wait their turn. */
export const QueueIcon = () => (
  <Icon>
    <path d="M4 13h4l1.5 2.5h5L16 13h4" />
    <path d="M6.5 5h11l2.5 8v5.5a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 18.5V13l2.5-8Z" />
  </Icon>
);

/** A clipboard with a tick: what an assistant asked, waiting for the user's yes. */
export const ApprovalsIcon = () => (
  <Icon>
    <path d="M9 4.5H6.5A1.5 1.5 0 0 0 5 6v13.5A1.5 1.5 0 0 0 6.5 21h11a1.5 1.5 0 0 0 1.5-1.5V6a1.5 1.5 0 0 0-1.5-1.5H15" />
    <rect x="9" y="3" width="6" height="3" rx="1" />
    <path d="m9 13.5 2 2 4-4.5" />
  </Icon>
);

export const HistoryIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M12 7.5V12l3 2" />
  </Icon>
);

export const SettingsIcon = () => (
  <Icon>
    <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
    <circle cx="15" cy="7" r="2" />
    <circle cx="9" cy="17" r="2" />
  </Icon>
);

export const ImageIcon = () => (
  <Icon>
    <rect x="3.5" y="4.5" width="17" height="15" rx="2.5" />
    <circle cx="9" cy="10" r="1.8" />
    <path d="m20.5 16-5-5-9 8.5" />
  </Icon>
);

export const VideoIcon = () => (
  <Icon>
    <rect x="3.5" y="6" width="12.5" height="12" rx="2.5" />
    <path d="m16 10.5 4.5-2.5v8L16 13.5" />
  </Icon>
);

export const PlusIcon = () => (
  <Icon>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);

export const ExternalIcon = () => (
  <Icon>
    <path d="M14 4h6v6M20 4l-9 9" />
    <path d="M18 14v4.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 4 18.5v-11A1.5 1.5 0 0 1 5.5 6H10" />
  </Icon>
);

export const LockIcon = () => (
  <Icon>
    <rect x="5" y="10.5" width="14" height="10" rx="2" />
    <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5" />
  </Icon>
);

export const ShieldIcon = () => (
  <Icon>
    <path d="M12 3.5 5 6v5.5c0 4.2 2.9 7.6 7 9 4.1-1.4 7-4.8 7-9V6l-7-2.5Z" />
  </Icon>
);

export const ChevronIcon = () => (
  <Icon>
    <path d="m9 6 6 6-6 6" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon>
    <path d="M6 6l12 12M18 6 6 18" />
  </Icon>
);

/** The app's mark: a paper plane leaving a small square, drawn in the accent colour. */
export const BrandMark = () => (
  <svg className="brand-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
    {/* The app icon (resources/icon.svg) at 1/16 scale: a post card over the laptop it stays on. */}
    <rect width="32" height="32" rx="7" className="brand-mark-tile" />
    <rect x="8.5" y="6.5" width="15" height="12.5" rx="1.75" className="brand-mark-card" />
    <rect x="10.75" y="9.4" width="10.5" height="1.4" rx="0.7" className="brand-mark-tile" />
    <rect x="10.75" y="12.25" width="7.5" height="1.4" rx="0.7" className="brand-mark-tile" />
    <rect x="6.5" y="22" width="19" height="3.5" rx="1.25" className="brand-mark-card" />
  </svg>
);

/** Bluesky's butterfly, for the platform choice and the connect form. */
export const BlueskyLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 64 57" width="22" height="20" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M13.873 3.805C21.21 9.332 29.103 20.537 32 26.55v15.882c0-.338-.13.044-.41.867-1.512 4.456-7.418 21.847-20.923 7.944-7.111-7.32-3.819-14.64 9.125-16.85-7.405 1.264-15.73-.825-18.014-9.015C1.12 23.022 0 8.51 0 6.55 0-3.268 8.579-.182 13.873 3.805ZM50.127 3.805C42.79 9.332 34.897 20.537 32 26.55v15.882c0-.338.13.044.41.867 1.512 4.456 7.418 21.847 20.923 7.944 7.111-7.32 3.819-14.64-9.125-16.85 7.405 1.264 15.73-.825 18.014-9.015C62.88 23.022 64 8.51 64 6.55c0-9.818-8.578-6.732-13.873-2.745Z"
    />
  </svg>
);

/** Discord's mark (the controller-shaped face), in the platform colour the tile sets. */
export const DiscordLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 127.14 96.36" width="22" height="17" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M107.7 8.07A105.15 105.15 0 0 0 81.47 0a72.06 72.06 0 0 0-3.36 6.83 97.68 97.68 0 0 0-29.11 0A72.37 72.37 0 0 0 45.64 0a105.89 105.89 0 0 0-26.25 8.09C2.79 32.65-1.71 56.6.54 80.21a105.73 105.73 0 0 0 32.17 16.15 77.7 77.7 0 0 0 6.89-11.11 68.42 68.42 0 0 1-10.85-5.18c.91-.66 1.8-1.34 2.66-2a75.57 75.57 0 0 0 64.32 0c.87.71 1.76 1.39 2.66 2a68.68 68.68 0 0 1-10.87 5.19 77 77 0 0 0 6.89 11.1 105.25 105.25 0 0 0 32.19-16.14c2.64-27.38-4.51-51.11-18.9-72.15ZM42.45 65.69C36.18 65.69 31 60 31 53s5-12.74 11.43-12.74S54 46 53.89 53s-5.05 12.69-11.44 12.69Zm42.24 0C78.41 65.69 73.25 60 73.25 53s5-12.74 11.44-12.74S96.23 46 96.12 53s-5.04 12.69-11.43 12.69Z"
    />
  </svg>
);

/** Slack's hash of four coloured bars, each with its small rounded stub. */
export const SlackLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
    {/* Top left, cyan: a vertical bar and a stub to its left. */}
    <rect x="7.1" y="1.5" width="3.6" height="9.2" rx="1.8" fill="#36c5f0" />
    <path d="M1.5 8.9a1.8 1.8 0 0 1 1.8-1.8h2.1v3.6H3.3a1.8 1.8 0 0 1-1.8-1.8Z" fill="#36c5f0" />
    {/* Top right, green: a horizontal bar and a stub above it. */}
    <rect x="13.3" y="7.1" width="9.2" height="3.6" rx="1.8" fill="#2eb67d" />
    <path d="M15.1 1.5a1.8 1.8 0 0 1 1.8 1.8v2.1h-3.6V3.3a1.8 1.8 0 0 1 1.8-1.8Z" fill="#2eb67d" />
    {/* Bottom right, yellow: a vertical bar and a stub to its right. */}
    <rect x="13.3" y="13.3" width="3.6" height="9.2" rx="1.8" fill="#ecb22e" />
    <path d="M22.5 15.1a1.8 1.8 0 0 1-1.8 1.8h-2.1v-3.6h2.1a1.8 1.8 0 0 1 1.8 1.8Z" fill="#ecb22e" />
    {/* Bottom left, red: a horizontal bar and a stub below it. */}
    <rect x="1.5" y="13.3" width="9.2" height="3.6" rx="1.8" fill="#e01e5a" />
    <path d="M8.9 22.5a1.8 1.8 0 0 1-1.8-1.8v-2.1h3.6v2.1a1.8 1.8 0 0 1-1.8 1.8Z" fill="#e01e5a" />
  </svg>
);

/** Telegram's paper plane in its round badge. */
export const TelegramLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
    <circle cx="12" cy="12" r="11" fill="currentColor" />
    <path
      fill="#ffffff"
      d="M5.4 11.7 17 7.2c.54-.2 1.01.13.84.95l-1.98 9.32c-.14.66-.54.82-1.09.51l-3.01-2.22-1.45 1.4c-.16.16-.3.3-.61.3l.22-3.07 5.58-5.04c.24-.21-.05-.33-.38-.12l-6.9 4.34-2.97-.93c-.65-.2-.66-.65.14-.96Z"
    />
  </svg>
);

/** Mastodon's mark (the rounded speech bubble with the "m"), simplified to one colour. */
export const MastodonLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M21.58 13.91c-.29 1.48-2.6 3.1-5.26 3.42-1.38.17-2.75.32-4.2.25-2.38-.11-4.26-.57-4.26-.57 0 .23.01.45.04.66.31 2.35 2.33 2.49 4.25 2.56 1.93.06 3.66-.48 3.66-.48l.08 1.75s-1.35.72-3.76.86c-1.33.07-2.98-.03-4.9-.54C2.99 20.71 2.28 16.3 2.17 11.83c-.03-1.33-.01-2.58-.01-3.63 0-4.57 2.99-5.91 2.99-5.91C6.66 1.6 9.26 1.31 11.96 1.29h.07c2.7.02 5.3.31 6.81 1 0 0 2.99 1.34 2.99 5.91 0 0 .04 3.37-.42 5.71Zm-3.11-5.35c0-1.13-.29-2.03-.87-2.69-.6-.67-1.38-1.01-2.35-1.01-1.12 0-1.97.43-2.53 1.29l-.55.92-.55-.92c-.56-.86-1.41-1.29-2.53-1.29-.97 0-1.75.34-2.35 1.01-.58.66-.87 1.56-.87 2.69v5.52h2.19V9.72c0-1.13.47-1.7 1.42-1.7 1.05 0 1.57.68 1.57 2.02v2.92h2.18v-2.92c0-1.34.52-2.02 1.57-2.02.95 0 1.42.57 1.42 1.7v4.36h2.19V8.56Z"
    />
  </svg>
);

/** X's mark: the two crossing strokes, one of them hollow. */
export const XLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 1200 1227" width="18" height="18" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M714.163 519.284 1160.89 0h-105.86L667.137 450.887 357.328 0H0l468.492 681.821L0 1226.37h105.866l409.625-476.152 327.181 476.152H1200L714.137 519.284h.026ZM569.165 687.828l-47.468-67.894-377.686-540.24h162.604l304.797 435.991 47.468 67.894 396.2 566.721H892.476L569.165 687.854v-.026Z"
    />
  </svg>
);

/** LinkedIn's "in" mark. */
export const LinkedInLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M20.45 20.45h-3.56v-5.57c0-1.33-.02-3.04-1.85-3.04-1.85 0-2.14 1.45-2.14 2.94v5.67H9.35V9h3.41v1.56h.05c.48-.9 1.64-1.85 3.37-1.85 3.6 0 4.27 2.37 4.27 5.46v6.28ZM5.34 7.43a2.06 2.06 0 1 1 0-4.13 2.06 2.06 0 0 1 0 4.13ZM7.12 20.45H3.56V9h3.56v11.45ZM22.22 0H1.77C.79 0 0 .77 0 1.73v20.54C0 23.23.79 24 1.77 24h20.45c.98 0 1.78-.77 1.78-1.73V1.73C24 .77 23.2 0 22.22 0Z"
    />
  </svg>
);

/** Pinterest's "P" mark (simplified), white on its red tile. */
export const PinterestLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M12 0a12 12 0 0 0-4.37 23.17c-.1-.94-.2-2.4.04-3.43l1.4-5.96s-.35-.72-.35-1.78c0-1.67.97-2.91 2.17-2.91 1.02 0 1.52.77 1.52 1.69 0 1.03-.66 2.57-1 3.99-.28 1.2.6 2.17 1.78 2.17 2.13 0 3.77-2.25 3.77-5.49 0-2.87-2.06-4.88-5.01-4.88-3.41 0-5.41 2.56-5.41 5.2 0 1.03.4 2.13.89 2.73a.36.36 0 0 1 .08.34l-.33 1.36c-.05.22-.18.27-.4.16-1.5-.7-2.43-2.89-2.43-4.65 0-3.78 2.75-7.26 7.92-7.26 4.16 0 7.39 2.97 7.39 6.92 0 4.12-2.6 7.45-6.21 7.45-1.21 0-2.35-.63-2.74-1.38l-.75 2.85c-.27 1.04-1 2.35-1.49 3.14A12 12 0 1 0 12 0Z"
    />
  </svg>
);

export const TikTokLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M16.6 2h-3.4v13.4a2.9 2.9 0 1 1-2.9-2.9c.3 0 .6 0 .9.1V9.1a6.4 6.4 0 1 0 5.4 6.3V8.7a8 8 0 0 0 4.6 1.5V6.8A4.6 4.6 0 0 1 16.6 2Z"
    />
  </svg>
);

/** Threads' mark: the looped "@" drawn in one stroke. */
export const ThreadsLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <path
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      d="M17.5 8.5C16.6 5.6 14.5 4 11.9 4 7.6 4 5 7.2 5 12s2.6 8 6.9 8c3.6 0 6.1-2 6.1-4.9 0-3.5-3.6-4.4-6.4-4-2 .3-3.1 1.4-3 2.7.1 1.4 1.4 2.2 3 2.1 2.5-.2 3.6-2.2 3.4-6.4"
    />
  </svg>
);

/** Facebook's mark: the lower-case "f" on a round tile. */
export const FacebookLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M12 2a10 10 0 0 0-1.6 19.9v-7H7.9V12h2.5V9.8c0-2.5 1.5-3.9 3.8-3.9 1.1 0 2.2.2 2.2.2v2.5h-1.3c-1.2 0-1.6.8-1.6 1.6V12h2.8l-.4 2.9h-2.4v7A10 10 0 0 0 12 2Z"
    />
  </svg>
);

/** Instagram's glyph: a rounded square camera with its lens and flash, in the text colour. */
export const InstagramLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <rect x="3.5" y="3.5" width="17" height="17" rx="5" fill="none" stroke="currentColor" strokeWidth="2" />
    <circle cx="12" cy="12" r="4" fill="none" stroke="currentColor" strokeWidth="2" />
    <circle cx="17.2" cy="6.8" r="1.2" fill="currentColor" />
  </svg>
);

/** YouTube's play button: a rounded red tile with a white triangle. */
export const YouTubeLogo = () => (
  <svg className="platform-logo-svg" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
    <path
      fill="currentColor"
      d="M23.5 6.2a3 3 0 0 0-2.1-2.1C19.5 3.6 12 3.6 12 3.6s-7.5 0-9.4.5A3 3 0 0 0 .5 6.2 31.3 31.3 0 0 0 0 12a31.3 31.3 0 0 0 .5 5.8 3 3 0 0 0 2.1 2.1c1.9.5 9.4.5 9.4.5s7.5 0 9.4-.5a3 3 0 0 0 2.1-2.1A31.3 31.3 0 0 0 24 12a31.3 31.3 0 0 0-.5-5.8ZM9.6 15.6V8.4l6.2 3.6-6.2 3.6Z"
    />
  </svg>
);
