// The Insights service's metrics in the Prometheus text format (GET /metrics on the service's
// port; the port speaks HTTP/2 without TLS, e.g. `curl --http2-prior-knowledge`). A registry of
// counters, gauges and histograms, with labels; no client library needed for this little.

type Labels = Record<string, string>;

const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  const escape = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  return `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(",")}}`;
};

interface Metric {
  render(): string[];
}

/** A value per label set that only grows. */
export class Counter implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const id = labelText(labels);
    const entry = this.values.get(id) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(id, entry);
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.values.values()].map((e) => `${this.name}${labelText(e.labels)} ${e.value}`),
    ];
  }
}

/** A value per label set, set to what it is now (replaced as a whole on each collection). */
export class Gauge implements Metric {
  private values: { labels: Labels; value: number }[] = [];
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(values: { labels?: Labels; value: number }[]): void {
    this.values = values.map((v) => ({ labels: v.labels ?? {}, value: v.value }));
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      ...this.values.map(
        (e) => `${this.name}${labelText(e.labels)} ${Number.isFinite(e.value) ? e.value : "NaN"}`,
      ),
    ];
  }
}

/** Observations counted into cumulative buckets (seconds). */
export class Histogram implements Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    this.buckets.forEach((bound, i) => {
      if (value <= bound) this.counts[i]!++;
    });
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} histogram`,
      ...this.buckets.map((bound, i) => `${this.name}_bucket{le="${bound}"} ${this.counts[i]}`),
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    ];
  }
}

/** The metrics a service exposes; `collect` runs before each rendering (to set gauges). */
export class MetricsRegistry {
  private readonly metrics: Metric[] = [];
  private readonly collectors: (() => Promise<void>)[] = [];
  add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
  onCollect(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }
  async render(): Promise<string> {
    await Promise.all(this.collectors.map((collect) => collect().catch(() => undefined)));
    return `${this.metrics.flatMap((m) => m.render()).join("\n")}\n`;
  }
}
