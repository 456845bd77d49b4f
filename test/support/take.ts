// The next few results of a subscription, whichever transport's client yields them.

/** The next `count` values of an iterator; fewer when it ends first. */
export async function take<T>(iterator: AsyncIterator<T>, count = 1): Promise<T[]> {
  const values: T[] = [];
  for (let i = 0; i < count; i++) {
    const { value, done } = await iterator.next();
    if (done) break;
    values.push(value);
  }
  return values;
}
