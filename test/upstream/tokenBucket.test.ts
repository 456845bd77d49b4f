// The tenant's request budget, on a clock the test moves by hand.
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/upstream/tokenBucket.js';

function bucket(ratePerSecond: number) {
  const clock = { now: 0 };
  return { clock, bucket: new TokenBucket({ ratePerSecond, burst: ratePerSecond, now: () => clock.now }) };
}

describe('TokenBucket', () => {
  it('hands out one second of tokens at once, then tells each caller its wait up front', async () => {
    const { bucket: b } = bucket(10);
    for (let i = 0; i < 10; i++) expect(await b.take(0)).toBe(0);
    // Empty: the next ones queue 100 ms apart; one that would wait beyond its limit gets null at once.
    expect(await b.take(0)).toBeNull();
    expect(await b.take(50)).toBeNull();
    expect(await b.take(1000)).toBe(100);
    expect(await b.take(1000)).toBe(200);
  });

  it('tryTake takes a token only when one is there, and says how long until the next', async () => {
    const { bucket: b, clock } = bucket(4);
    for (let i = 0; i < 4; i++) expect(b.tryTake()).toBe(0);
    expect(b.tryTake()).toBe(250);
    // A refusal takes nothing: still 250 ms away, not 500.
    expect(b.tryTake()).toBe(250);
    clock.now = 100;
    expect(b.tryTake()).toBeCloseTo(150);
    clock.now = 250;
    expect(b.tryTake()).toBe(0);
    // take() queues behind what tryTake left.
    expect(await b.take(1000)).toBe(250);
  });

  it('waitMs says how long the nth token is away, taking none', async () => {
    const { bucket: b, clock } = bucket(5);
    expect(b.waitMs(5)).toBe(0);
    expect(b.waitMs(6)).toBe(200);
    for (let i = 0; i < 7; i++) await b.take(10_000);
    // Two owed: the next token is 600 ms away, the one behind 2 queued callers 1 s.
    expect(b.waitMs(1)).toBe(600);
    expect(b.waitMs(3)).toBe(1000);
    clock.now = 600;
    expect(b.waitMs(1)).toBe(0);
    expect(await b.take(0)).toBe(0);
  });

  it('never holds more than one second of tokens, however long it sat idle', async () => {
    const { bucket: b, clock } = bucket(5);
    clock.now = 60_000;
    for (let i = 0; i < 5; i++) expect(await b.take(0)).toBe(0);
    expect(await b.take(0)).toBeNull();
  });

  it('refills at the configured rate', async () => {
    const { bucket: b, clock } = bucket(4);
    for (let i = 0; i < 4; i++) await b.take(0);
    clock.now += 500;
    expect(await b.take(0)).toBe(0);
    expect(await b.take(0)).toBe(0);
    expect(await b.take(0)).toBeNull();
  });

  it('can start empty, or owing refills, instead of full', () => {
    const clock = { now: 0 };
    const b = new TokenBucket({ ratePerSecond: 10, burst: 10, tokens: -1, now: () => clock.now });
    // One token owed: the first is 200 ms away, not 100.
    expect(b.tryTake()).toBe(200);
    clock.now = 200;
    expect(b.tryTake()).toBe(0);
    expect(b.tryTake()).toBe(100);
  });
});
