// Live regions for the outcome of Publish and Schedule (publishAnnouncement.ts says what), kept
// on the page from the start: a region added together with its text is often not read at all
// (WAI-ARIA 1.2, "live regions": assistive technology watches a region for changes). It lives
// beside the screens, so a result that arrives after the user moved on to another is still said.
// Plain aria-live regions rather than role="status" and role="alert": those roles also make an
// empty region a status or an alert on every screen, which it is not until something is said.
import { useEffect, useState } from 'react';
import { useAppStore } from '../../state/store';
import { formatInZone } from '../../ui/formatTime';
import { announcePost, type Announcement } from './publishAnnouncement';

export function PublishAnnouncer() {
  const post = useAppStore((s) => s.publishResult);
  const [said, setSaid] = useState<Announcement | null>(null);

  useEffect(() => {
    if (!post) return;
    const next = announcePost(post, formatInZone);
    // A reload of History refreshes the result with the same outcome: said once.
    if (next) setSaid((current) => (current?.text === next.text ? current : next));
  }, [post]);

  return (
    <>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-announcer="publish">
        {said && !said.urgent ? said.text : ''}
      </p>
      <p className="visually-hidden" aria-live="assertive" aria-atomic="true" data-announcer="publish-urgent">
        {said?.urgent ? said.text : ''}
      </p>
    </>
  );
}
