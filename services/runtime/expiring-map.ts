// A bounded in-process memory whose entries expire: the verified-token cache (auth.ts) and the
// token versions of the revocation check (token-revocation.ts). When full, the oldest entry goes.

export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(private readonly maxEntries: number) {}

  /** The value while it is fresh (it expires at `until`, epoch ms). */
  get(key: K, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    return entry && entry.until > now ? entry.value : undefined;
  }

  /** The last value stored, fresh or not (a fallback when the source cannot be read). */
  last(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V, until: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until });
  }
}
