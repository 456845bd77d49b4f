// The page's address is its state: the list's filter and page, or the jobs shown.
import { useEffect, useState } from 'react';

export interface Location {
  search: string;
  /** What pushState stored with this entry (the list's earlier cursors); null for a typed or shared address. */
  state: unknown;
}

const current = (): Location => ({ search: window.location.search, state: window.history.state });

/** The current address, and a way to go to another one (a new history entry, so Back returns). */
export function useLocation(): [Location, (search: string, state?: unknown) => void] {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const onPopState = () => setLocation(current());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  const go = (search: string, state: unknown = null) => {
    window.history.pushState(state, '', search === '' ? window.location.pathname : search);
    setLocation(current());
  };
  return [location, go];
}
