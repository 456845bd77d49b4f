// Where this example gets the end user's token: a real frontend takes it from its
// sign-in. Here it may come in the address's fragment (`#token=…`), which the
// browser never sends to a server; it is kept in memory only and taken out of the
// address at once, so it is neither bookmarked nor left in the history.
export function takeToken(): string | undefined {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const token = fragment.get('token') ?? undefined;
  if (token !== undefined) {
    fragment.delete('token');
    const rest = fragment.toString();
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`,
    );
  }
  return token || undefined;
}
