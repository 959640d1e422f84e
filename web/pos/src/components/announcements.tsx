import { Button } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerminal } from '../terminal.js';
import type { Announcement } from '../types.js';

/** Announcements this device has put away (知道了), by id: one list per terminal, kept across shifts. */
const SEEN_KEY = 'refundkey.pos.announcements-seen';

function seenIds(): string[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(SEEN_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The platform's announcements (公告) in force, on the home screen until the cashier puts each away. Putting one away
 * records it on the server for the staff member behind the operator number where there is one; on this device it is
 * hidden either way. An urgent one is announced to screen readers at once (role alert).
 */
export function Announcements() {
  const { t } = useTranslation();
  const { call } = useTerminal();
  const [list, setList] = useState<Announcement[]>([]);

  const load = useCallback(async () => {
    try {
      const seen = new Set(seenIds());
      const all = await call((client) => client.announcements());
      setList(all.filter((a) => a.active && a.acknowledged_at === null && !seen.has(a.id)));
    } catch {
      // The counter works without announcements; the offline banner already says when the server is out of reach.
    }
  }, [call]);

  useEffect(() => {
    void load();
  }, [load]);

  async function putAway(id: string) {
    window.localStorage.setItem(SEEN_KEY, JSON.stringify([...seenIds().filter((seen) => seen !== id), id].slice(-100)));
    setList((current) => current.filter((a) => a.id !== id));
    try {
      await call((client) => client.acknowledgeAnnouncement(id));
    } catch {
      // An operator number without a staff member behind it cannot acknowledge for a person; this device still hides it.
    }
  }

  if (list.length === 0) return null;
  return (
    <section className="pos-announcements" aria-label={t('announcements.title')}>
      {list.map((a) => (
        <article
          key={a.id}
          className={`pos-announcement pos-announcement-${a.severity}`}
          role={a.severity === 'urgent' ? 'alert' : undefined}
          aria-labelledby={`announcement-${a.id}`}
        >
          <h2 id={`announcement-${a.id}`}>
            {t(`announcements.severity.${a.severity}`)} · {a.title}
          </h2>
          <p>{a.body}</p>
          <Button size="middle" onClick={() => void putAway(a.id)}>
            {t('announcements.acknowledge')}
          </Button>
        </article>
      ))}
    </section>
  );
}
